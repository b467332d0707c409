using System.Net.Http.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Compliance;
using Gpunet.IntegrationTests.Support;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>The states the host operator's and the officer's tests start from.</summary>
internal static class HostOperatorSetup
{
    /// <summary>A staked host on a fake-clock coordinator (<see cref="Services.Ledger.Settlement"/>) that two settled
    /// epochs paid, with 100 of its stake unbonding; and its earnings as the API gives them.</summary>
    public static async Task<(FakeAgent Agent, HttpClient Operator, List<HostEarningView> Earned)> EarningHostAsync(TestCoordinator c, string seed)
    {
        var (agent, operatorHttp) = await StakedHostAsync(c, seed);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);
        using (var unstaked = await operatorHttp.PostAsJsonAsync("/api/v1/wallet/unstake", new { amount = "100", host = agent.HostId }))
            Assert.True(unstaked.IsSuccessStatusCode, await unstaked.Content.ReadAsStringAsync());
        var earned = (await operatorHttp.GetFromJsonAsync<List<HostEarningView>>($"/api/v1/hosts/{agent.HostId}/earnings", TestCoordinator.Json))!;
        return (agent, operatorHttp, earned);
    }

    /// <summary>A coordinator that verifies locations, and an approved operator's host of controlled GPUs declared in
    /// Germany at an address in the US: held until an officer clears it.</summary>
    public static async Task<(TestCoordinator Coordinator, Wallet Operator, TestAgent Agent, string HostId)> HeldByLocationAsync()
    {
        var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.TrustDeclaredLocation = true);
        var operatorWallet = Wallet.Create();
        using (var operatorClient = await c.CustomerAsync(operatorWallet, funds: 0))
            await Kyc.ApprovedAsync(c, operatorClient);
        var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "DE", wallet: operatorWallet, publicIp: "8.8.8.8");
        var id = await agent.HostIdAsync();
        await Eventually.Async(() => c.HostAsync(id), h => h.StateReason.Contains(ComplianceRules.LocationUnverified, StringComparison.Ordinal), "the location hold");
        return (c, operatorWallet, agent, id);
    }
}
