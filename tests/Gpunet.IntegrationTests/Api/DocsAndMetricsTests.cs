using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

public sealed class DocsAndMetricsTests
{
    [Fact]
    public async Task OpenApi_DescribesTheApi_AndReferencePageServes()
    {
        await using var c = await TestCoordinator.StartAsync();
        var doc = JsonDocument.Parse(await c.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/v1/hosts", "/api/v1/hosts/{id}", "/api/v1/hosts/{id}/transitions", "/api/v1/gpus", "/api/v1/auth/challenge", "/api/v1/auth/token", "/api/v1/network" })
            Assert.True(paths.TryGetProperty(p, out _), $"OpenAPI lacks {p}");
        Assert.Equal("ListHosts", paths.GetProperty("/api/v1/hosts").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("Gpunet coordinator API", doc.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        // Sign-in itself needs no token; the host list does.
        Assert.Equal(0, paths.GetProperty("/api/v1/auth/challenge").GetProperty("post").GetProperty("security").GetArrayLength());
        Assert.False(paths.GetProperty("/api/v1/hosts").GetProperty("get").TryGetProperty("security", out _));

        var page = await c.Anonymous.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_EveryOperation_DocumentsItsErrorsAsProblemDetails()
    {
        await using var c = await TestCoordinator.StartAsync();
        var doc = (await OpenApiSchemas.FetchAsync(c)).Document;
        var operations = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                operations++;
                var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
                var responses = op.Value.GetProperty("responses").EnumerateObject().ToList();
                var errors = responses.Where(r => r.Name[0] is '4' or '5').ToList();
                // Only the two operations that take no input and no token have no 4xx (healthz has its 503).
                if (path.Name is not ("/healthz" or "/api/v1/network"))
                    Assert.True(errors.Any(r => r.Name[0] == '4'), $"{name} documents no 4xx");
                foreach (var error in errors)
                {
                    var content = error.Value.GetProperty("content");
                    Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(m => m.Name));
                    Assert.Equal("#/components/schemas/ProblemDetails",
                        content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
                }

                var anonymous = op.Value.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
                if (!anonymous)
                    Assert.Contains(responses, r => r.Name == "401");
                if (op.Value.TryGetProperty("requestBody", out _))
                    Assert.Contains(responses, r => r.Name == "400");
            }
        }

        Assert.True(operations >= 39, $"only {operations} operations");
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.Equal("string", schemas.GetProperty("TokenAmount").GetProperty("type").GetString());
        Assert.Equal(@"^[0-9]{1,11}(\.[0-9]{1,8})?$", schemas.GetProperty("TokenAmount").GetProperty("pattern").GetString());
        Assert.Equal("field", schemas.GetProperty("ProblemDetails").GetProperty("properties").EnumerateObject().Select(p => p.Name).First(n => n == "field"));
        // No schema is left empty (an empty schema types nothing for a generated client).
        Assert.DoesNotContain(schemas.EnumerateObject(), s => !s.Value.EnumerateObject().Any());
    }

    [Fact]
    public async Task OpenApi_SignInAndHandReadBodies_AreDescribed()
    {
        await using var c = await TestCoordinator.StartAsync();
        var doc = (await OpenApiSchemas.FetchAsync(c)).Document;
        var paths = doc.GetProperty("paths");
        string BodyOf(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;

        var token = paths.GetProperty("/api/v1/auth/token").GetProperty("post").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var tokenSchema = doc.GetProperty("components").GetProperty("schemas").GetProperty(token.Split('/')[^1]);
        Assert.Equal(["accessToken", "expiresIn", "refreshToken", "tokenType"],
            tokenSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.EndsWith("/KycSubmissionInput", BodyOf("/api/v1/kyc", "post"), StringComparison.Ordinal);
        Assert.EndsWith("/WebhookEvent", BodyOf("/api/v1/kyc/webhooks/{vendor}", "post"), StringComparison.Ordinal);

        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var challenge = schemas.GetProperty("ChallengeRequest");
        Assert.Equal("^0x[0-9a-fA-F]{40}$", challenge.GetProperty("properties").GetProperty("address").GetProperty("pattern").GetString());
        Assert.Equal("string", challenge.GetProperty("properties").GetProperty("address").GetProperty("type").GetString());
        var order = schemas.GetProperty("OrderRequest").GetProperty("properties");
        Assert.Equal(["on-demand", "reserve"], order.GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, order.GetProperty("count").GetProperty("minimum").GetInt32());
        Assert.Equal("integer", order.GetProperty("count").GetProperty("type").GetString());
        Assert.Equal(["Pending", "Starting", "Running", "Succeeded", "Failed", "Cancelled", "Expired", "HostLost"],
            schemas.GetProperty("LeaseView").GetProperty("properties").GetProperty("state").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        // A decision's fields may be left out: the server defaults them.
        Assert.False(schemas.GetProperty("DecisionRequest").TryGetProperty("required", out _));
    }

    [Fact]
    public async Task OpenApi_ServerUrl_IsNeverTakenFromTheHostHeader()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example";
        using var response = await c.Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("attacker.example", text, StringComparison.Ordinal);
        Assert.Equal("/", JsonDocument.Parse(text).RootElement.GetProperty("servers")[0].GetProperty("url").GetString());

        await using var published = await TestCoordinator.StartAsync(configure: o => o.Edge.PublicUrl = "https://api.gpunet.example/");
        var servers = (await OpenApiSchemas.FetchAsync(published)).Document.GetProperty("servers");
        Assert.Equal("https://api.gpunet.example", Assert.Single(servers.EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task OpenApi_KycSubmissions_ListedWithoutDocument_MatchTheirSchema()
    {
        await using var c = await TestCoordinator.StartAsync();
        var schemas = await OpenApiSchemas.FetchAsync(c);
        using var customer = await c.CustomerAsync(Gpunet.Core.Identity.Wallet.Create(), funds: 0);
        using (var submitted = await customer.PostAsJsonAsync("/api/v1/kyc", new
        {
            kind = "person", legalName = "Alice Example", dateOfBirth = "1985-04-12", country = "DE", documentNumber = "P1234567", documentCountry = "DE",
        }))
        {
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
            Assert.Empty(schemas.Problems("KycSubmissionView", await submitted.Content.ReadFromJsonAsync<JsonElement>()));
        }

        // The officer's list leaves every document out (null); one submission read alone carries it.
        var list = await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/kyc/submissions");
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("document").ValueKind);
        Assert.Empty(schemas.Problems("KycSubmissionView", list, array: true));
        var one = await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/kyc/submissions/{listed.GetProperty("id").GetString()}");
        Assert.Equal(JsonValueKind.Object, one.GetProperty("document").ValueKind);
        Assert.Empty(schemas.Problems("KycSubmissionView", one));

        // The schema check is not vacuous: a document that is neither an object nor null breaks it.
        var broken = JsonDocument.Parse(listed.GetRawText().Replace("\"document\":null", "\"document\":\"text\"", StringComparison.Ordinal)).RootElement;
        Assert.NotEmpty(schemas.Problems("KycSubmissionView", broken));
    }

    [Fact]
    public async Task Metrics_ShowHostsByStateGpusByModelHeartbeatsAndLatency()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "L40S-48GB:4", "JP", region: "Tokyo");
        await c.WaitForStateAsync(await agent.HostIdAsync(), "Ready");
        await c.Admin.GetAsync("/api/v1/hosts");

        var text = await Eventually.Async(() => c.Anonymous.GetStringAsync("/metrics")!, t => t.Contains("gpunet_heartbeats_total", StringComparison.Ordinal) && !t.Contains("gpunet_heartbeats_total 0", StringComparison.Ordinal), "heartbeats in metrics");
        Assert.Contains("gpunet_hosts{state=\"Ready\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("gpunet_gpus{model=\"L40S-48GB\",state=\"Ready\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("gpunet_agents_connected 1", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds", text, StringComparison.Ordinal);
        // 5 heartbeats/s from one agent at a 200 ms interval.
        await Eventually.Async(() => c.Anonymous.GetStringAsync("/metrics")!, t => HeartbeatRate(t) is > 2 and < 10, "the heartbeat rate");
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        await using var c = await TestCoordinator.StartAsync();
        var r = await c.Anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    private static double HeartbeatRate(string metrics)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("gpunet_heartbeats_per_second ", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
