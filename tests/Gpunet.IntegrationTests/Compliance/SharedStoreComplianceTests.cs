using System.Net.Http.Json;
using Gpunet.Coordinator;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>Two coordinators over one database: what an officer decides on one is enforced by the other.</summary>
public sealed class SharedStoreComplianceTests
{
    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task DecisionsOnOneCoordinator_AreEnforcedByTheOther(string provider)
    {
        var db = await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir());
        static void Strict(CoordinatorOptions o)
        {
            o.Compliance.ApproveAllKyc = false;
            o.Compliance.TrustDeclaredLocation = true;
        }

        await using var a = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, configure: Strict);
        await using var b = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, configure: Strict);

        // A participant submits through A; an officer approves through B; A lets them withdraw.
        var wallet = Wallet.Create();
        using var atA = await a.CustomerAsync(wallet, funds: 10);
        var s = await Kyc.SubmitAsync(atA, Kyc.Person("Grace Example"));
        await Kyc.DecideAsync(b.Admin, s.GetProperty("id").GetString()!, approve: true, "checked at the other office");
        await Eventually.Async<string>(async () => await Kyc.StateAsync(atA), state => state == "Approved", "coordinator A to see the approval", 15);
        using (var withdraw = await atA.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount = "1" }))
            Assert.True(withdraw.IsSuccessStatusCode, await withdraw.Content.ReadAsStringAsync());

        // Its host serves through A; a policy applied through B blocks its country; A pauses it.
        await using var agent = TestAgent.Start(a.ApiUrl, "L4-24GB:2", country: "PT", region: "Lisbon", wallet: wallet);
        var id = await agent.HostIdAsync();
        await a.WaitForStateAsync(id, "Ready");
        var yaml = CompliancePolicyParser.ToYaml(CompliancePolicy.Default with
        {
            Version = "shared.2",
            BlockedHostJurisdictions = [.. CompliancePolicy.Default.BlockedHostJurisdictions, "PT"],
        });
        using (var applied = await b.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml }))
            Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());

        var paused = await a.WaitForStateAsync(id, "Paused", seconds: 15);
        Assert.Contains(ComplianceRules.BlockedJurisdiction, paused.StateReason, StringComparison.Ordinal);
        Assert.True((await Kyc.VerifyAsync(a.Admin)).GetProperty("valid").GetBoolean());
    }
}
