using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>The whole verification path with real parts on loopback, as on a devnet: three licensed checker nodes in
/// three countries, real agents with their probe endpoints, the coordinator's scheduler, majority and consequences. A
/// host that claims H100s and performs as an RTX 4090 is caught at its registration check and says why; an honest one
/// passes.</summary>
[LongRunning]
public sealed class CheatCaughtTests
{
    [Fact]
    public async Task ACheatClaimingH100sThatPerformsAsAnRtx4090_IsCaughtAtRegistration_AndItsHostSaysWhy()
    {
        await using var c = await TestCoordinator.StartAsync(configure: CheckerNodes.Configure);
        await using var checkers = await CheckerNodes.StartAsync(c);
        await using var honest = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:2");
        await using var cheat = CheckerNodes.Cheat(c, Wallet.Create());
        var (honestId, cheatId) = (await honest.HostIdAsync(), await cheat.HostIdAsync());

        // Held from its first check (confirming, then, once failed again, slashed), with the reason.
        var caught = await c.WaitForStateAsync(cheatId, "Paused", seconds: 60);
        Assert.Contains("capacity check", caught.StateReason, StringComparison.Ordinal);
        Assert.Contains("Too slow for H100-SXM5-80GB", caught.StateReason, StringComparison.Ordinal);
        // Checked again a second later, failed again: slashed for deceit.
        var checks = await Eventually.Async(
            async () => await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={cheatId}&kind=capacity", TestCoordinator.Json),
            l => l.Count == 2 && l.All(x => x.Outcome == "failed"), "the cheat's two capacity checks, both failed", 60);
        Assert.Contains("slashed for deceit", checks[0].Consequence, StringComparison.Ordinal);
        Assert.Contains("checked again", checks[1].Consequence, StringComparison.Ordinal);
        // The host monitor shows the new hold at its next round.
        await Eventually.Async(() => c.HostAsync(cheatId), h => h.StateReason.Contains("failed capacity check", StringComparison.Ordinal),
            "the cheat's host showing it was slashed");
        // Correct products, answered too late: the timing caught it, not a wrong answer.
        Assert.All(checks.SelectMany(x => x.Reports).SelectMany(r => r.Gpus), g => Assert.True(g.ProductCorrect && !g.Passed && g.AnsweredUs > 2 * g.ExpectedUs));

        // The honest host passes (a check failed on a loaded moment would only hold it until the next one passed) and is
        // never slashed.
        await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={honestId}&kind=capacity", TestCoordinator.Json))?.FirstOrDefault(),
            v => v.Outcome == "passed", "the honest host's capacity check passed", 60);
        var honestChecks = await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={honestId}&kind=capacity", TestCoordinator.Json);
        // A held host's consequence names the slash to come ("slashed for deceit if it fails again"); one slashed says
        // "failed again: slashed".
        Assert.DoesNotContain(honestChecks!, x => x.Consequence.Contains("failed again: slashed", StringComparison.Ordinal));
        await c.WaitForStateAsync(honestId, "Ready", seconds: 30);
    }
}
