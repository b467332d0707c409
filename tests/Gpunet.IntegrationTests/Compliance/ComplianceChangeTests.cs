using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>What changes: a new sanctions list screens everyone again, an address that resolves nowhere holds controlled
/// GPUs (an approval's expiry is in Services/Compliance, on the fake clock).</summary>
public sealed class ComplianceChangeTests
{
    private static string SampleFile(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "sanctions")))
            dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("data/sanctions"), "data", "sanctions", name));
    }

    [Fact]
    public async Task ImportSdn_NamingAnApprovedParticipant_RejectsThemAndPausesTheirHost()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.TrustDeclaredLocation = true);
        var operatorWallet = Wallet.Create();
        using var operatorClient = await c.CustomerAsync(operatorWallet, funds: 0);
        await Kyc.ApprovedAsync(c, operatorClient, Kyc.Person("Quentin Marlowe Tarrant", "GB", "1977-06-01"));
        await using var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:2", country: "GB", wallet: operatorWallet);
        var id = await agent.HostIdAsync();
        await c.WaitForStateAsync(id, "Ready");
        var before = (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/compliance/sanctions")).GetProperty("version").GetString();

        // A malformed list is refused with its line, and the list in force stays.
        using (var bad = await c.Admin.PutAsJsonAsync("/api/v1/compliance/sanctions", new { sdn = "90001,\"ONLY, Three\",individual\n" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("line 1", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/compliance/sanctions")).GetProperty("version").GetString());

        // The new list: the sample plus one entry that names the approved operator.
        // Padded with 4,000 made-up entries: a real list is megabytes, far past the API's default body limit.
        var padding = string.Concat(Enumerable.Range(0, 4000).Select(i =>
            $"{96000 + i},\"ENTITY NUMBER {i} TRADING CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Nationality of Registration Panama.\"\n"));
        var sdn = SampleFile("sdn-sample.csv").Replace("\u001a", "", StringComparison.Ordinal).TrimEnd()
            + "\n95001,\"TARRANT, Quentin Marlowe\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 01 Jun 1977; nationality United Kingdom.\"\n"
            + padding;
        Assert.True(sdn.Length > 256 * 1024);
        using (var imported = await c.Admin.PutAsJsonAsync("/api/v1/compliance/sanctions", new { sdn, alt = SampleFile("alt-sample.csv") }))
        {
            var body = JsonDocument.Parse(await imported.Content.ReadAsStringAsync()).RootElement;
            Assert.True(imported.IsSuccessStatusCode, body.ToString());
            Assert.Equal(1, body.GetProperty("rejected").GetInt32());
            Assert.NotEqual(before, body.GetProperty("version").GetString());
            // The import's own pass pauses the host and names it, unless the compliance sweep (every second here) or the host
            // monitor's gate ("held (Paused)") saw the rejection first and paused it in between: either way it is Paused
            // below, by one audited decision.
        }

        var audit = await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?subject={id}&limit=1000");
        Assert.Single(audit.EnumerateArray(), e => e.GetProperty("outcome").GetString() is { } outcome
            && (outcome.StartsWith("paused", StringComparison.Ordinal) || outcome.StartsWith("held (Paused)", StringComparison.Ordinal)));

        Assert.Equal("Rejected", await Kyc.StateAsync(operatorClient));
        var host = await c.HostAsync(id);
        Assert.Equal("Paused", host!.State);
        Assert.Contains(ComplianceRules.KycNotApproved, host.StateReason, StringComparison.Ordinal);
        using (var withdraw = await operatorClient.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount = "1" }))
            Assert.Equal(HttpStatusCode.Forbidden, withdraw.StatusCode);
    }

    [Fact]
    public async Task Host_WithAnAddressThatResolvesNowhere_HoldsControlledGpusAndRecordsWhy()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => { o.Compliance.ApproveAllKyc = true; o.Compliance.TrustDeclaredLocation = true; });
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "DE", publicIp: "192.0.2.10");
        var id = await agent.HostIdAsync();

        var host = await Eventually.Async(() => c.HostAsync(id), h => h.StateReason.Contains(ComplianceRules.LocationUnverified, StringComparison.Ordinal), "the location hold");
        Assert.Equal("Pending", host.State);
        var view = await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/compliance/hosts/{id}");
        Assert.Equal("Unresolved", view.GetProperty("location").GetProperty("check").GetString());
        Assert.Contains("192.0.2.10", view.GetProperty("location").GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The check's record follows by group commit.
        await Eventually.Async<List<JsonElement>>(async () => await Kyc.AuditAsync(c.Admin, id), trail => trail.Any(e => e.GetProperty("rule").GetString() == "location-check"
            && e.GetProperty("outcome").GetString()!.StartsWith("Unresolved", StringComparison.Ordinal)), "the location check in the audit log");
    }
}
