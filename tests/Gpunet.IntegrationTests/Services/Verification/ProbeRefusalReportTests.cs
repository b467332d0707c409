using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>Probe refusals a host reports on its stream: counted against a checker only when it is licensed, assigned to
/// that check of that host, and the refusal came after its signature held; anything else is the host's claim and
/// changes nothing; a host stream's reports are capped.</summary>
public sealed class ProbeRefusalReportTests
{
    [Fact]
    public async Task ARefusalNamingAnAssignedLicensedChecker_IsShownOnTheCheck_AndClaimsAgainstOthersOrUnknownChecksAreNot()
    {
        await using var c = await CheckFlowTests.StartAsync();
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 4);
        await using var host = await FakeAgent.ConnectAsync(c, "refuser", probeEndpoint: "http://127.0.0.1:9");
        await using var other = await FakeAgent.ConnectAsync(c, "bystander", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var (check, assigned) = await HostsCapacityCheckAsync(checkers, host.HostId);
        var outsider = checkers.Single(k => !assigned.Contains(k.Address));
        var stranger = Wallet.Create().Address.Value;

        await host.SendRefusalsAsync(Batch(
            (check.CheckId, assigned[0], ProbeRefusalReason.Replayed),
            // Not assigned to the check (though licensed), not a checker at all, not an address.
            (check.CheckId, outsider.Address, ProbeRefusalReason.Replayed),
            (check.CheckId, stranger, ProbeRefusalReason.TooManyPings),
            (check.CheckId, "0xnot-an-address", ProbeRefusalReason.Replayed),
            // Before the signature was verified anyone could have used the checker's name.
            (check.CheckId, assigned[1], ProbeRefusalReason.BadSignature),
            // A made-up check, and an unknown reason.
            ("chk_000000000000000000000000", assigned[0], ProbeRefusalReason.Replayed),
            (check.CheckId, assigned[1], (ProbeRefusalReason)99)));
        // Another host cannot accuse this host's checkers.
        await other.SendRefusalsAsync(Batch((check.CheckId, assigned[2], ProbeRefusalReason.WrongWork)));

        var shown = await CheckFlowTests.CheckAsync(c, check.CheckId);
        var refusal = Assert.Single(shown.Refusals);
        Assert.Equal(assigned[0], refusal.Checker);
        Assert.Contains($"host {host.HostId} refused a probe: Replayed", refusal.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await RefusalsAsync(c));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task AHostReportingMoreThanItsCap_HasOnlyTheCapRecorded_UntilTheMinuteRefills()
    {
        await using var c = await CheckFlowTests.StartAsync();
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "flooder", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var (check, assigned) = await HostsCapacityCheckAsync(checkers, host.HostId);
        var flood = Enumerable.Repeat((check.CheckId, assigned[0], ProbeRefusalReason.TooManyPings), 150).ToArray();

        await host.SendRefusalsAsync(Batch(flood));
        Assert.Equal(Coordinator.Verification.ProbeRefusalIntake.PerMinute, await RefusalsAsync(c));
        await host.SendRefusalsAsync(Batch(flood));
        Assert.Equal(Coordinator.Verification.ProbeRefusalIntake.PerMinute, await RefusalsAsync(c));

        // A minute on, the allowance is whole again.
        await clock.AdvanceAsync(TimeSpan.FromMinutes(1));
        await host.SendRefusalsAsync(Batch(flood[..10]));
        Assert.Equal(Coordinator.Verification.ProbeRefusalIntake.PerMinute + 10, await RefusalsAsync(c));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    private static async Task<(Assignment Check, List<string> Assigned)> HostsCapacityCheckAsync(List<FakeChecker> checkers, string hostId)
    {
        var got = new List<Assignment>();
        await Eventually.Async(() =>
        {
            foreach (var k in checkers)
            {
                while (k.TryNextAssignment(out var a))
                    got.Add(a);
            }

            return Task.FromResult<object?>(got.FirstOrDefault(a => a.Kind == CheckKind.Capacity && a.HostId == hostId));
        }, a => a is not null, $"a capacity check of {hostId} assigned");
        var check = got.First(a => a.Kind == CheckKind.Capacity && a.HostId == hostId);
        return (check, [.. check.Checkers]);
    }

    private static ProbeRefusals Batch(params (string CheckId, string Checker, ProbeRefusalReason Reason)[] refusals)
    {
        var batch = new ProbeRefusals();
        foreach (var (checkId, checker, reason) in refusals)
            batch.Refusals.Add(new RefusedProbe { CheckId = checkId, Checker = checker, Reason = reason.ToString() });
        return batch;
    }

    private static async Task<int> RefusalsAsync(TestCoordinator c)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.CheckRefusals.CountAsync();
    }
}
