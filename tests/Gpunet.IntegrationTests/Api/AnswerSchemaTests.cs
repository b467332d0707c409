using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gpunet.Contracts;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>What the coordinator answers conforms to the schemas its own document states, the patterns and lengths of its
/// ids, addresses, account names and actors included: a generated client that checks answers against the document
/// accepts every one, and a linter finds them bounded.</summary>
public sealed class AnswerSchemaTests
{
    [Fact]
    public async Task Answers_OfAnOrderItsLeaseAWalletLicencesAuditPolicyAndHosts_MatchTheirSchemas()
    {
        await using var c = await TestCoordinator.StartAsync();
        var schemas = await OpenApiSchemas.FetchAsync(c);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:2");
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet);

        using var placed = await customer.PostAsJsonAsync("/api/v1/orders", MarketClient.Order("sleep 30"));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = await placed.Content.ReadFromJsonAsync<JsonElement>();
        Conforms(schemas, "OrderView", order);
        var leaseId = order.GetProperty("leaseId").GetString()!;
        await customer.WaitForStateAsync(leaseId, "Running");

        var lease = await Answer(customer, $"/api/v1/leases/{leaseId}");
        Conforms(schemas, "LeaseView", lease);
        Conforms(schemas, "LeaseView", await Answer(c.Admin, "/api/v1/leases"), array: true);

        // The operator's deposit, and the wallet's history: its own accounts, the lease's escrow, the operator's genesis.
        using var deposit = await c.Admin.PostAsJsonAsync("/api/v1/wallet/deposit", new { amount = "5", to = wallet.Address.Value });
        Assert.Equal(HttpStatusCode.OK, deposit.StatusCode);
        Conforms(schemas, "TransferView", await deposit.Content.ReadFromJsonAsync<JsonElement>());
        var history = await Answer(customer, "/api/v1/wallet/history");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("to").GetString()!.StartsWith("lease:", StringComparison.Ordinal));
        Conforms(schemas, "HistoryView", history, array: true);

        using var granted = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = Wallet.Create().Address.Value, reason = "a new checker" });
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        Conforms(schemas, "CheckerLicenceView", await granted.Content.ReadFromJsonAsync<JsonElement>());
        Conforms(schemas, "CheckerLicenceView", await Answer(c.Admin, "/api/v1/checkers"), array: true);

        Conforms(schemas, "AuditEntryView", await Answer(c.Admin, "/api/v1/audit"), array: true);
        Conforms(schemas, "PolicyView", await Answer(c.Admin, "/api/v1/compliance/policy"));
        Conforms(schemas, "SanctionsView", await Answer(c.Admin, "/api/v1/compliance/sanctions"));
        var host = lease.GetProperty("hostId").GetString()!;
        var compliance = await Answer(c.Admin, $"/api/v1/compliance/hosts/{host}");
        Assert.Equal(JsonValueKind.Object, compliance.GetProperty("location").ValueKind);
        Conforms(schemas, "HostComplianceView", compliance);
        Conforms(schemas, "HostView", await Answer(c.Admin, "/api/v1/hosts"), array: true);
        Conforms(schemas, "NetworkView", await Answer(c.Admin, "/api/v1/network"));

        // The document states those forms: an answer of another form would be refused by a client that checks.
        Assert.NotEmpty(schemas.Problems("LeaseView", With(lease, "orderId", "order-1")));
        Assert.NotEmpty(schemas.Problems("LeaseView", With(lease, "owner", "someone")));
        Assert.NotEmpty(schemas.Problems("HistoryView", With(history[0], "from", "participant:bob:available")));
    }

    [Fact]
    public async Task Problem_OfAnOrderWithSixtyFourBadVariables_IsCutToTheDocumentsLength_EveryFieldStillListed()
    {
        await using var c = await TestCoordinator.StartAsync();
        var schemas = await OpenApiSchemas.FetchAsync(c);
        using var customer = await c.CustomerAsync(Wallet.Create());

        // 64 variables with names that are not names: one problem each, several thousand characters joined.
        var environment = Enumerable.Range(0, 64).ToDictionary(i => $"{i}-not-a-name-{new string('x', 100)}", _ => "v");
        using var refused = await customer.PostAsJsonAsync("/api/v1/orders", new { gpu = new[] { "H100" }, maxPrice = 5m, environment, command = new[] { "true" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Equal(TextLimits.Reason, detail.Length);
        Assert.EndsWith("…", detail, StringComparison.Ordinal);
        Assert.Equal(64, problem.GetProperty("errors").GetArrayLength());
        Assert.Empty(schemas.Problems("ProblemDetails", problem));
    }

    private static async Task<JsonElement> Answer(HttpClient http, string path)
    {
        using var r = await http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{path}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static void Conforms(OpenApiSchemas schemas, string name, JsonElement answer, bool array = false)
    {
        if (array)
            Assert.NotEqual(0, answer.GetArrayLength());
        Assert.Empty(schemas.Problems(name, answer, array));
    }

    private static JsonElement With(JsonElement answer, string field, string value)
    {
        var node = JsonNode.Parse(answer.GetRawText())!.AsObject();
        node[field] = value;
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }
}
