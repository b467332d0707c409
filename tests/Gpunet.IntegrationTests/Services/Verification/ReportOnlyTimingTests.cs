using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>A real GPU's timing is the coordinator's to enforce or only report: checkers that fail a correct product for its
/// time alone (as one from before <c>timing_report_only</c> does) do not fail the host while the coordinator only reports
/// timing, and do once it enforces it.</summary>
public sealed class ReportOnlyTimingTests
{
    [Theory]
    [InlineData(false, "passed")]
    [InlineData(true, "failed")]
    public async Task CorrectProductsFailedOnlyForTheirTime_FailTheRealHostOnlyWhereTimingIsEnforced(bool enforce, string outcome)
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.EnforceRealGpuTiming = enforce);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "slow-real", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var assigned = await CheckFlowTests.AssignedAsync(checkers, CheckKind.Capacity);

        // Every checker verified the rows and found the answer too slow.
        foreach (var (checker, a) in assigned)
        {
            var tooSlow = a.Capacity.Gpus.Select(g => new GpuVerdict
            {
                Index = g.Index, Passed = false, ProductCorrect = true, AnsweredUs = 9_000_000, ExpectedUs = 1_000_000, Reason = "Too slow",
            });
            Assert.True((await checker.SendAsync(checker.Report(a, passed: false, reason: "Too slow", gpus: tooSlow))).Accepted);
        }

        var check = assigned.Values.First();
        await clock.AdvanceAsync(DateTimeOffset.FromUnixTimeMilliseconds(check.DeadlineUnixMs) - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Equal(outcome, (await CheckFlowTests.CheckAsync(c, check.CheckId)).Outcome);
        foreach (var k in checkers)
            await k.DisposeAsync();
    }
}
