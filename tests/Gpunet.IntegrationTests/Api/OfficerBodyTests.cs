using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Endpoints for officers and the operator refuse anyone else before reading a byte of the body.</summary>
public sealed class OfficerBodyTests : IAsyncLifetime
{
    private const long DeclaredBody = 63L * 1024 * 1024;
    private const int SentBody = 64 * 1024;

    private TestCoordinator _c = null!;

    public async Task InitializeAsync() => _c = await TestCoordinator.StartAsync();

    public async Task DisposeAsync() => await _c.DisposeAsync();

    /// <summary>Declares a 63 MB body, sends its first 64 KiB and reads the answer: a server that read the body before
    /// authorizing would wait for the rest (and this test would fail at its deadline, the rest never comes).</summary>
    private async Task<(int Status, string Response)> UploadStartAsync(string method, string path, string? token,
        long declared = DeclaredBody, int sent = SentBody)
    {
        var api = new Uri(_c.ApiUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(api.Host, api.Port);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: {api.Authority}\r\n")
            .Append(token is null ? "" : $"Authorization: Bearer {token}\r\n")
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n")
            .Append("{\"sdn\":\"")
            .Append('a', sent)
            .ToString();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[16 * 1024];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) || !HasWholeBody(received.ToString()))
        {
            var n = await stream.ReadAsync(buffer, deadline.Token);
            if (n == 0)
                break;
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        var text = received.ToString();
        return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }

    private static bool HasWholeBody(string response)
    {
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var header = response[..split].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return header is null
            ? response.EndsWith("0\r\n\r\n", StringComparison.Ordinal) // chunked: the last chunk
            : response.Length - split - 4 >= int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Webhook_ToAVendorThisCoordinatorDoesNotHave_RefusedBeforeTheBodyIsRead()
    {
        // Anonymous, within the body limit: the refusal must not wait for the 60 KB it was promised.
        var (status, response) = await UploadStartAsync("POST", "/api/v1/kyc/webhooks/acme", token: null, declared: 60_000, sent: 1_000);

        Assert.Equal(404, status);
        Assert.Contains("no KYC vendor 'acme' is configured", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportSanctions_ByACustomerWithAHugeBody_ForbiddenBeforeTheBodyIsRead()
    {
        using var customer = await _c.CustomerAsync(Wallet.Create(), funds: 0);
        var token = customer.DefaultRequestHeaders.Authorization!.Parameter;

        var (status, response) = await UploadStartAsync("PUT", "/api/v1/compliance/sanctions", token);

        Assert.Equal(403, status);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("compliance officer", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportSanctions_WithoutCredentialsAndAHugeBody_UnauthorizedBeforeTheBodyIsRead()
    {
        var (status, _) = await UploadStartAsync("PUT", "/api/v1/compliance/sanctions", token: null);
        Assert.Equal(401, status);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/compliance/policy")]
    [InlineData("POST", "/api/v1/kyc/submissions/kyc-000000000000/approve")]
    [InlineData("POST", "/api/v1/hosts/host-000000000000/slashes")]
    public async Task OfficerEndpoint_ByACustomer_ForbiddenBeforeTheBodyIsRead(string method, string path)
    {
        using var customer = await _c.CustomerAsync(Wallet.Create(), funds: 0);
        var (status, response) = await UploadStartAsync(method, path, customer.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(403, status);
        Assert.Contains("\"detail\":\"this needs", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfficerEndpoints_ByACustomer_ForbiddenNamingWhoMay()
    {
        using var customer = await _c.CustomerAsync(Wallet.Create(), funds: 0);
        foreach (var path in new[] { "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/kyc/submissions" })
        {
            using var r = await customer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("compliance officer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The operator may.
        Assert.Equal(HttpStatusCode.OK, (await _c.Admin.GetAsync("/api/v1/audit/verify")).StatusCode);
        using var policy = await _c.Admin.PostAsJsonAsync("/api/v1/compliance/policy/validate", new { yaml = "" });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
    }

    [Fact]
    public async Task Policy_WithHundredsOfBadCodes_ListsTheFirstHundredAndCountsTheRest_PolicyUnchanged()
    {
        var yaml = $$"""
            version: "flood"
            blocked_host_jurisdictions: [{{string.Join(", ", Enumerable.Repeat("XX", 500))}}]
            blocked_host_regions: []
            controlled_gpu_classes: []
            restricted_customer_jurisdictions: []
            restricted_parent_jurisdictions: []
            residency_zones: {}
            """;

        using var validated = await _c.Admin.PostAsJsonAsync("/api/v1/compliance/policy/validate", new { yaml });
        var validation = JsonDocument.Parse(await validated.Content.ReadAsStringAsync()).RootElement;
        Assert.False(validation.GetProperty("valid").GetBoolean());
        Assert.Equal(100, validation.GetProperty("errors").GetArrayLength());
        Assert.Equal(400, validation.GetProperty("unlisted").GetInt32());

        using var applied = await _c.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml });
        Assert.Equal(HttpStatusCode.BadRequest, applied.StatusCode);
        var problem = JsonDocument.Parse(await applied.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(400, problem.GetProperty("unlisted").GetInt32());
        Assert.Contains("; 500 problems in all, the first 100 in errors; the policy in force is unchanged", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var policy = JsonDocument.Parse(await _c.Admin.GetStringAsync("/api/v1/compliance/policy")).RootElement;
        Assert.NotEqual("flood", policy.GetProperty("version").GetString());
    }
}
