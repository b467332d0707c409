using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class LeaseLifecycleTests
{
    private static readonly LeaseState[] Ends = [LeaseState.Succeeded, LeaseState.Failed, LeaseState.Cancelled, LeaseState.Expired, LeaseState.HostLost];

    [Fact]
    public void The_happy_path_is_pending_starting_running_succeeded()
    {
        Assert.True(LeaseLifecycle.CanMove(LeaseState.Pending, LeaseState.Starting));
        Assert.True(LeaseLifecycle.CanMove(LeaseState.Starting, LeaseState.Running));
        Assert.True(LeaseLifecycle.CanMove(LeaseState.Running, LeaseState.Succeeded));
    }

    [Fact]
    public void An_ended_lease_never_moves_again()
    {
        foreach (var end in Ends)
        {
            Assert.True(LeaseLifecycle.IsEnded(end));
            foreach (var to in Enum.GetValues<LeaseState>())
                Assert.False(LeaseLifecycle.CanMove(end, to), $"{end} -> {to}");
        }
    }

    [Fact]
    public void A_queued_lease_can_only_be_placed_cancelled_or_expire()
    {
        var allowed = Enum.GetValues<LeaseState>().Where(to => LeaseLifecycle.CanMove(LeaseState.Pending, to)).ToArray();
        Assert.Equal([LeaseState.Starting, LeaseState.Cancelled, LeaseState.Expired], allowed);
    }

    [Fact]
    public void A_placed_lease_can_go_back_to_the_queue_when_it_moves_host()
    {
        Assert.True(LeaseLifecycle.CanMove(LeaseState.Running, LeaseState.Pending));
        Assert.True(LeaseLifecycle.CanMove(LeaseState.Starting, LeaseState.Pending));
        Assert.False(LeaseLifecycle.CanMove(LeaseState.Running, LeaseState.Starting));
    }

    [Fact]
    public void A_starting_lease_can_be_started_again_but_a_running_one_only_moves_or_ends()
    {
        Assert.True(LeaseLifecycle.CanStartAgain(LeaseState.Starting));
        Assert.All([LeaseState.Pending, LeaseState.Running, LeaseState.Succeeded, LeaseState.Cancelled], s => Assert.False(LeaseLifecycle.CanStartAgain(s)));
        // Starting again is not a move: placing a lease that is already Starting is refused.
        Assert.False(LeaseLifecycle.CanMove(LeaseState.Starting, LeaseState.Starting));
        Assert.False(LeaseLifecycle.CanMove(LeaseState.Running, LeaseState.Running));
        Assert.False(LeaseLifecycle.CanMove(LeaseState.Pending, LeaseState.Pending));
    }

    [Theory]
    [InlineData(LeaseEndReason.Completed, LeaseState.Succeeded)]
    [InlineData(LeaseEndReason.ExitNonzero, LeaseState.Failed)]
    [InlineData(LeaseEndReason.StartFailed, LeaseState.Failed)]
    [InlineData(LeaseEndReason.StartTimeout, LeaseState.Failed)]
    [InlineData(LeaseEndReason.LimitExceeded, LeaseState.Failed)]
    [InlineData(LeaseEndReason.WorkloadLost, LeaseState.Failed)]
    [InlineData(LeaseEndReason.Cancelled, LeaseState.Cancelled)]
    [InlineData(LeaseEndReason.QueueTimeout, LeaseState.Expired)]
    [InlineData(LeaseEndReason.TermEnded, LeaseState.Expired)]
    [InlineData(LeaseEndReason.HostLost, LeaseState.HostLost)]
    public void Every_reason_ends_in_one_state(LeaseEndReason reason, LeaseState end)
    {
        Assert.Equal(end, LeaseLifecycle.EndState(reason));
        Assert.True(LeaseLifecycle.IsEnded(end));
    }

    [Fact]
    public void Every_reason_has_a_distinct_kebab_case_spelling()
    {
        var names = Enum.GetValues<LeaseEndReason>().Select(LeaseLifecycle.Spell).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(-[a-z]+)*$", n));
    }

    [Fact]
    public void Exit_code_zero_succeeds_and_any_other_fails()
    {
        Assert.Equal(LeaseEndReason.Completed, LeaseLifecycle.ForExit(0));
        Assert.Equal(LeaseEndReason.ExitNonzero, LeaseLifecycle.ForExit(3));
        Assert.Equal(LeaseEndReason.ExitNonzero, LeaseLifecycle.ForExit(-9));
    }

    [Fact]
    public void Only_placed_leases_with_on_host_loss_move()
    {
        Assert.True(LeaseLifecycle.MovesOnHostLoss(RestartPolicy.OnHostLoss, LeaseState.Running));
        Assert.True(LeaseLifecycle.MovesOnHostLoss(RestartPolicy.OnHostLoss, LeaseState.Starting));
        Assert.False(LeaseLifecycle.MovesOnHostLoss(RestartPolicy.Never, LeaseState.Running));
        Assert.False(LeaseLifecycle.MovesOnHostLoss(RestartPolicy.OnHostLoss, LeaseState.Pending));
        Assert.False(LeaseLifecycle.HoldsCapacity(LeaseState.Pending));
    }
}
