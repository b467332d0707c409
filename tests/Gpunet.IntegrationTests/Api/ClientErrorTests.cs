using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Edge;
using Gpunet.Core.Compliance;
using Gpunet.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gpunet.IntegrationTests.Api;

/// <summary>A request the framework cannot read is the client's mistake: a 4xx that names the field and none of the
/// server's type names, logged at Information without a stack trace.</summary>
public sealed class ClientErrorTests : IAsyncLifetime, IDisposable
{
    private readonly CapturedLogs _logs = new();
    private WebApplication _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var dir = TestCoordinator.NewDataDir();
        _app = CoordinatorApp.Build("http://127.0.0.1:0", o =>
        {
            o.Store.DataDirectory = dir;
            o.Access.NetworkId = "test";
            o.Compliance.ApproveAllKyc = true;
            o.Compliance.TrustDeclaredLocation = true;
        }, logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddProvider(_logs);
        });
        await _app.StartAsync();
        _admin = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<CoordinatorEndpoints>().ApiUrl) };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _app.Services.GetRequiredService<AdminToken>().Value);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void Dispose()
    {
        _admin.Dispose();
        _logs.Dispose();
    }

    private async Task<JsonElement> BadRequestAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await _admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var internalName in new[] { "System.", "Microsoft.", "Gpunet.", "Int32", "Exception" })
            Assert.DoesNotContain(internalName, body, StringComparison.Ordinal);
        return JsonDocument.Parse(body).RootElement;
    }

    [Theory]
    [InlineData("/api/v1/orders", """{"count": "x"}""", "count", "a whole number")]
    [InlineData("/api/v1/orders", """{"count": 1.5}""", "count", "a whole number")]
    [InlineData("/api/v1/orders", """{"gpu": "H100"}""", "gpu", "a JSON array")]
    [InlineData("/api/v1/orders", """{"maxPrice": true}""", "maxPrice", "a number")]
    [InlineData("/api/v1/orders", """{"latencyFrom": 3}""", "latencyFrom", "a JSON object")]
    [InlineData("/api/v1/kyc/submissions/kyc-000000000000/approve", """{"final": "yes"}""", "final", "true or false")]
    [InlineData("/api/v1/wallet/deposit", """{"amount": ["1"]}""", "amount", "a string")]
    [InlineData("/api/v1/auth/challenge", """{"address": 12}""", "address", "a string")]
    public async Task Body_ValueOfTheWrongType_400NamingTheFieldAndWhatItHolds(string path, string json, string field, string expected)
    {
        var problem = await BadRequestAsync(HttpMethod.Post, path, json);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith($"{field}: ", detail, StringComparison.Ordinal);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/orders", "{\"count\": 1,")]
    [InlineData("/api/v1/auth/challenge", "{not json")]
    [InlineData("/api/v1/wallet/deposit", "")]
    public async Task Body_MalformedJson_400SayingWhere(string path, string json)
    {
        var problem = await BadRequestAsync(HttpMethod.Post, path, json);
        Assert.Contains("JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_UnknownTypeValue_400NamingTheField()
    {
        var problem = await BadRequestAsync(HttpMethod.Post, "/api/v1/orders", """{"type": "sometimes", "command": ["true"]}""");
        Assert.Contains("type", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_ThousandsOfEmptyArguments_400NamingTheCommand_NoLeaseCreated()
    {
        // 20,000 empty arguments are 60 KB of JSON (under the body limit) and no characters of the 16 KiB a command may hold.
        var json = JsonSerializer.Serialize(new { command = new[] { "true" }.Concat(Enumerable.Repeat("", 20_000)) });

        var problem = await BadRequestAsync(HttpMethod.Post, "/api/v1/orders", json);

        Assert.Contains("command: at most 1024 elements", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var leases = JsonDocument.Parse(await _admin.GetStringAsync("/api/v1/leases")).RootElement;
        Assert.Equal(0, leases.GetArrayLength());
    }

    [Fact]
    public async Task Order_ThousandsOfBadElements_ListsTheFirstHundredAndCountsTheRest()
    {
        // Each null element is a problem of its own: 3,000 of them in 15 KB of JSON.
        var json = JsonSerializer.Serialize(new { command = new string?[] { "true" }.Concat(Enumerable.Repeat((string?)null, 3_000)) });

        var problem = await BadRequestAsync(HttpMethod.Post, "/api/v1/orders", json);

        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        var unlisted = problem.GetProperty("unlisted").GetInt32();
        Assert.True(unlisted >= 2_900, unlisted.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith($"; {unlisted + 100} problems in all, the first 100 in errors", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NotANumber_400NamingTheParameter()
    {
        using var response = await _admin.GetAsync("/api/v1/hosts/host-000000000000/transitions?limit=abc");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Int32", body, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("limit", problem.GetProperty("field").GetString());
        Assert.Equal("limit: 'abc' is not a whole number in range", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BadRequests_LoggedAtInformation_WithoutAnException()
    {
        await BadRequestAsync(HttpMethod.Post, "/api/v1/orders", """{"count": "x"}""");
        await BadRequestAsync(HttpMethod.Post, "/api/v1/auth/challenge", "{not json");

        var entries = _logs.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(entries, e => e.Exception is not null);
        var refused = entries.Where(e => e.Category == typeof(ClientErrorHandler).FullName).ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Contains(refused, e => e.Message.Contains("POST /api/v1/orders: 400 count:", StringComparison.Ordinal));
    }

    private sealed record WithState(KycState State);

    [Fact]
    public void Describe_UnknownEnumValue_ListsTheValues()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<WithState>("""{"state": "Sleeping"}""", options));

        var (field, detail) = ClientErrorText.Describe(new BadHttpRequestException("Failed to read parameter \"WithState request\" from the request body as JSON.", e), typeof(WithState));

        Assert.Equal("state", field);
        Assert.Equal($"state: the JSON value must be one of {string.Join(", ", Enum.GetNames<KycState>())}", detail);
    }
}
