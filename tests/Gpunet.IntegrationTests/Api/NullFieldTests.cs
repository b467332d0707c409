using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Every request body with a JSON <c>null</c> where a value belongs (a field, an element of a list, an
/// environment value), or a number out of its range, is refused 400 with a problem naming the field by its path, and
/// nothing changes: no order, no lease, no money moved, no submission.</summary>
public sealed class NullFieldTests(NullFieldTests.Network network) : IClassFixture<NullFieldTests.Network>
{
    private const string Funds = "100000";
    private static readonly Wallet Customer = Wallet.Create();
    private readonly TestCoordinator _c = network.Coordinator;
    private readonly HttpClient _customer = network.Customer;

    /// <summary>One coordinator for the whole class: every case is refused, and checks that it changed nothing.</summary>
    public sealed class Network : IAsyncLifetime
    {
        internal TestCoordinator Coordinator { get; private set; } = null!;
        internal HttpClient Customer { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Coordinator = await TestCoordinator.StartAsync(configure: o => o.Ledger.FaucetLimit = 1000);
            Customer = await Coordinator.CustomerAsync(NullFieldTests.Customer, funds: decimal.Parse(Funds, System.Globalization.CultureInfo.InvariantCulture));
        }

        public async Task DisposeAsync()
        {
            Customer.Dispose();
            await Coordinator.DisposeAsync();
        }
    }

    private static JsonObject Order() => new()
    {
        ["gpu"] = new JsonArray("H100"),
        ["count"] = 1,
        ["maxPrice"] = 3,
        ["command"] = new JsonArray("/bin/sh", "-c", "true"),
        ["environment"] = new JsonObject { ["FOO"] = "bar" },
        ["countries"] = new JsonArray("DE"),
        ["notCountries"] = new JsonArray("FR"),
        ["regions"] = new JsonArray("Hesse"),
        ["notRegions"] = new JsonArray("Bavaria"),
        ["type"] = "on-demand",
        ["slaTier"] = "standard",
        ["restart"] = "never",
        ["kind"] = "job",
        ["runtime"] = "process",
        ["ranking"] = "balanced",
    };

    private static JsonObject Person() => new()
    {
        ["kind"] = "person", ["legalName"] = "Alice Example", ["dateOfBirth"] = "1985-04-12", ["country"] = "DE",
        ["documentNumber"] = "P1234567", ["documentCountry"] = "DE",
    };

    private static JsonObject Company() => new()
    {
        ["kind"] = "company", ["legalName"] = "Example GmbH", ["registrationNumber"] = "HRB 12345", ["country"] = "DE",
        ["beneficialOwners"] = new JsonArray(new JsonObject { ["name"] = "Bob Owner", ["country"] = "DE", ["sharePercent"] = 60 }),
    };

    /// <summary>A copy of <paramref name="body"/> with the value at <paramref name="path"/> (<c>a</c>, <c>a[1]</c>,
    /// <c>a.B</c>, <c>a[0].b</c>) replaced by <paramref name="value"/> (null: JSON null).</summary>
    private static string With(JsonObject body, string path, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        JsonNode parent = copy;
        var parts = path.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            if (part.StartsWith('['))
            {
                var index = int.Parse(part[1..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (last)
                    parent.AsArray()[index] = value;
                else
                    parent = parent.AsArray()[index]!;
            }
            else if (last)
            {
                parent.AsObject()[part] = value;
            }
            else
            {
                parent = parent.AsObject()[part]!;
            }
        }

        return copy.ToJsonString();
    }

    private const string OrderPath = "POST /api/v1/orders";

    /// <summary>Endpoint, who calls it (customer or admin), the body, and the field the problem must name.</summary>
    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        void Add(string endpoint, string who, JsonObject body, string path, JsonNode? value, string? field = null) =>
            data.Add(endpoint, who, With(body, path, value), field ?? path);

        // Orders: every reference field null, every element of every list null, an environment value null.
        foreach (var field in new[] { "gpu", "command", "countries", "notCountries", "regions", "notRegions", "type", "slaTier", "restart", "kind", "runtime", "ranking" })
            Add(OrderPath, "customer", Order(), field, null);
        foreach (var element in new[] { "gpu[0]", "command[0]", "command[2]", "countries[0]", "notCountries[0]", "regions[0]", "notRegions[0]" })
            Add(OrderPath, "customer", Order(), element, null);
        Add(OrderPath, "customer", Order(), "environment.FOO", null);

        // Orders: numbers out of range (the names the order validator has always used).
        Add(OrderPath, "customer", Order(), "count", -1);
        Add(OrderPath, "customer", Order(), "count", 1_000_000);
        Add(OrderPath, "customer", Order(), "gpuMilli", 0);
        Add(OrderPath, "customer", Order(), "cpu", -1);
        Add(OrderPath, "customer", Order(), "memoryMib", -1, "memoryMib");
        Add(OrderPath, "customer", Order(), "memoryMib", long.MaxValue, "memoryMib");
        Add(OrderPath, "customer", Order(), "hosts", 0);
        Add(OrderPath, "customer", Order(), "hosts", int.MaxValue);
        Add(OrderPath, "customer", Order(), "maxPrice", -1);
        Add(OrderPath, "customer", Order(), "maxPrice", 1e15);
        Add(OrderPath, "customer", Order(), "hours", -1);
        Add(OrderPath, "customer", Order(), "hours", 1e300);
        Add(OrderPath, "customer", Order(), "queueTimeoutMinutes", -1, "queueTimeoutMinutes");
        Add(OrderPath, "customer", Order(), "queueTimeoutMinutes", 1e300, "queueTimeoutMinutes");
        Add(OrderPath, "customer", Order(), "port", 70_000);
        Add(OrderPath, "customer", Order(), "minVramGb", 0);
        Add(OrderPath, "customer", Order(), "minComputeCapability", 99);
        Add(OrderPath, "customer", Order(), "maxLatencyMs", 0);
        Add(OrderPath, "customer", Order(), "latencyFrom", new JsonObject { ["latitude"] = 91, ["longitude"] = 0 });

        // Wallet operations.
        foreach (var operation in new[] { "deposit", "withdraw", "stake", "unstake" })
            Add($"POST /api/v1/wallet/{operation}", "customer", new JsonObject { ["amount"] = "1", ["host"] = "host-000000000001" }, "amount", null);
        Add("POST /api/v1/wallet/deposit", "customer", new JsonObject { ["amount"] = "-1" }, "amount", "-1");
        Add("POST /api/v1/wallet/deposit", "admin", new JsonObject { ["amount"] = "1", ["to"] = Customer.Address.Value }, "to", null);
        Add("POST /api/v1/wallet/stake", "customer", new JsonObject { ["amount"] = "1", ["host"] = "host-000000000001" }, "host", null);
        Add("POST /api/v1/wallet/unstake", "customer", new JsonObject { ["amount"] = "1", ["host"] = "host-000000000001" }, "host", null);
        Add("POST /api/v1/hosts/host-000000000001/slashes", "admin", new JsonObject { ["kind"] = "deceit", ["reason"] = "lied" }, "reason", null);

        // Sign-in.
        Add("POST /api/v1/auth/challenge", "anonymous", new JsonObject { ["address"] = Customer.Address.Value }, "address", null);
        var token = new JsonObject { ["address"] = Customer.Address.Value, ["nonce"] = "abc", ["timestamp"] = 1, ["signature"] = "0x00" };
        foreach (var field in new[] { "address", "nonce", "timestamp", "signature" })
            Add("POST /api/v1/auth/token", "anonymous", token, field, null);
        Add("POST /api/v1/auth/token", "anonymous", token, "timestamp", -1);

        // KYC/KYB submissions, decisions, policy, sanctions, location clearance.
        foreach (var field in new[] { "kind", "legalName", "dateOfBirth", "country", "documentNumber", "documentCountry" })
            Add("POST /api/v1/kyc", "customer", Person(), field, null);
        Add("POST /api/v1/kyc", "customer", Company(), "beneficialOwners[0]", null);
        Add("POST /api/v1/kyc", "customer", Company(), "beneficialOwners[0].name", null);
        Add("POST /api/v1/kyc", "customer", Company(), "beneficialOwners[0].sharePercent", 101);
        Add("POST /api/v1/kyc/submissions/kyc-000000000000/reject", "admin", new JsonObject { ["reason"] = "no" }, "reason", null);
        Add("PUT /api/v1/compliance/policy", "admin", new JsonObject { ["yaml"] = "version: x" }, "yaml", null);
        Add("PUT /api/v1/compliance/sanctions", "admin", new JsonObject { ["sdn"] = "x", ["alt"] = "y" }, "sdn", null);
        Add("POST /api/v1/compliance/hosts/host-000000000001/clear-location", "admin", new JsonObject { ["reason"] = "seen" }, "reason", null);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Body_NullOrOutOfRange_Is400NamingTheField_AndChangesNothing(string endpoint, string who, string body, string field)
    {
        var before = await StateAsync();
        var http = who switch { "customer" => _customer, "admin" => _c.Admin, _ => _c.Anonymous };
        var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{endpoint} {body}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        var named = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? errors.EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList()
            : [problem.TryGetProperty("field", out var f) ? f.GetString() : null];
        Assert.True(named.Contains(field), $"{endpoint} {body}: expected a problem naming '{field}', got {text}");
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("POST /api/v1/orders")]
    [InlineData("POST /api/v1/wallet/deposit")]
    [InlineData("POST /api/v1/kyc")]
    [InlineData("POST /api/v1/auth/challenge")]
    public async Task Body_JsonNull_Is400(string endpoint)
    {
        var before = await StateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Split(' ')[1]) { Content = new StringContent("null", Encoding.UTF8, "application/json") };
        using var response = await _customer.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(before, await StateAsync());
    }

    /// <summary>What a refused request must leave alone: the customer's money, leases and KYC, and every lease and submission.</summary>
    private async Task<string> StateAsync()
    {
        var wallet = await _customer.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        var leases = await _c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/leases");
        var kyc = await _c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/kyc/submissions");
        return $"available={wallet.GetProperty("available")} held={wallet.GetProperty("held")} leases={leases.GetArrayLength()} submissions={kyc.GetArrayLength()}";
    }
}
