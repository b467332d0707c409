using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;
using Gpunet.Simulation;

namespace Gpunet.Core.Tests.Simulation;

/// <summary>Each invariant of the chaos simulation fires on the state it forbids: a run that passes means something.</summary>
public sealed class ChaosInvariantsTests
{
    private const long Now = 10_000_000;
    private static readonly ChaosOptions Options = new();

    [Fact]
    public void AReportOverlappingTimeAlreadyBilled_BreaksBilledOnce_EvenFromAnotherAttempt()
    {
        var lease = Lease();
        lease.Usage.Add(Row(attempt: 1, from: 1_000, to: 6_000, billed: 5_000, heard: 5_000));

        var e = Assert.Throws<SimulationInvariantException>(() =>
            Invariants.CheckUsage(Row(attempt: 2, from: 5_000, to: 10_000, billed: 5_000, heard: 5_000), lease, new Truth(2_500), Options, 2_500, Now));

        Assert.Equal("billed-once", e.Invariant);
        Invariants.CheckUsage(Row(attempt: 2, from: 6_000, to: 11_000, billed: 5_000, heard: 5_000), lease, new Truth(2_500), Options, 2_500, Now);
    }

    [Fact]
    public void MoreBilledThanTheHostWasHeard_BreaksNoUnheardBilling()
    {
        var e = Assert.Throws<SimulationInvariantException>(() =>
            Invariants.CheckUsage(Row(attempt: 1, from: 0, to: 5_000, billed: 4_000, heard: 3_000), Lease(), new Truth(2_500), Options, 2_500, Now));

        Assert.Equal("no-unheard-billing", e.Invariant);
    }

    [Fact]
    public void HeardTimeLeftUnbilled_BreaksHeardTimeBilled_UnlessACoordinatorRestartExplainsIt()
    {
        var row = Row(attempt: 1, from: 100_000, to: 105_000, billed: 4_000, heard: 5_000);
        var truth = new Truth(2_500);

        var e = Assert.Throws<SimulationInvariantException>(() => Invariants.CheckUsage(row, Lease(), truth, Options, 2_500, Now));
        Assert.Equal("heard-time-billed", e.Invariant);

        truth.CoordinatorCrashed(103_000);
        truth.CoordinatorRestarted(103_500);
        Invariants.CheckUsage(row, Lease(), truth, Options, 2_500, Now);
    }

    [Fact]
    public void TwoLeasesOnOneGpu_BreakGpuGivenOnce()
    {
        var store = new SimStore();
        store.Open.Add(Placed(store, "lease-1", [0, 1]));
        store.Open.Add(Placed(store, "lease-2", [1]));
        var invariants = new Invariants(store, new Truth(2_500), []);

        var e = Assert.Throws<SimulationInvariantException>(invariants.AfterStep);

        Assert.Equal("gpu-given-once", e.Invariant);
    }

    [Fact]
    public void AnEndedLeaseWithoutAReason_BreaksOrderAccounted()
    {
        var store = new SimStore();
        var lease = Lease();
        lease.State = LeaseState.Failed;
        lease.EndedMs = Now;
        store.Open.Add(lease);

        var e = Assert.Throws<SimulationInvariantException>(new Invariants(store, new Truth(2_500), []).AfterStep);

        Assert.Equal("order-accounted", e.Invariant);
    }

    [Fact]
    public void AnEndedLeaseMovedAgain_BreaksTheLifecycle()
    {
        var lease = Lease();
        lease.State = LeaseState.Running;
        SimStore.End(lease, LeaseEndReason.Completed, "done", Now);

        var e = Assert.Throws<SimulationInvariantException>(() => SimStore.Move(lease, LeaseState.Running));

        Assert.Equal("lease-lifecycle", e.Invariant);
    }

    [Fact]
    public void AHostLostWhileServing_IsSlashedOnlyWhenItWasAtFault()
    {
        var clock = new Scheduler(Now);
        var truth = new Truth(2_500);
        var store = new SimStore();
        var host = new StoredHost(0, "h0", store.Ledger.Open(AccountKey.Network(AccountPurpose.EmissionPool)), default, 4);
        store.Hosts.Add(host);
        store.HostsById.Add(host.Id, host);
        var lease = Placed(store, "lease-1", [0]);
        lease.State = LeaseState.Running;
        lease.Ran = true;
        store.Open.Add(lease);
        var market = new SimCoordinator(clock, new SimRandom(1), Options, store, truth).Market;

        var e = Assert.Throws<SimulationInvariantException>(() => market.HostLost(host));
        Assert.Equal("honest-host-not-slashed", e.Invariant);
        Assert.Empty(store.Slashes);

        truth.HostFault("h0", Now - 5_000, Now - 4_000);
        market.HostLost(host);
        Assert.Single(store.Slashes);
        Assert.Equal(LeaseState.HostLost, lease.State);
    }

    private static StoredLease Lease() => new("lease-9", 9, 0, default) { Gpus = 1, Attempt = 1, HostId = "h0" };

    private static StoredLease Placed(SimStore store, string id, int[] gpus) =>
        new(id, store.Leases.Count + 1, 0, default) { Gpus = gpus.Length, GpuIndices = gpus, HostId = "h0", Attempt = 1, State = LeaseState.Starting };

    private static UsageRow Row(int attempt, long from, long to, long billed, long heard) =>
        new("lease-9", "h0", attempt, 1, from, to, billed, Now, 0, heard);
}
