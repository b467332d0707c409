using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class LeaseKillTests
{
    [Theory]
    [InlineData(WorkloadKillCause.MemoryLimit, "the kernel ended it", LeaseEndReason.LimitExceeded)]
    [InlineData(WorkloadKillCause.TimeLimit, "ran for its whole hour", LeaseEndReason.TermEnded)]
    [InlineData(WorkloadKillCause.StopRequested, "memory limit named by a stop", LeaseEndReason.WorkloadLost)]
    [InlineData(WorkloadKillCause.AgentStopping, "agent stopping", LeaseEndReason.WorkloadLost)]
    public void ForKill_TypedCause_DecidesTheEndWhateverTheWords(WorkloadKillCause cause, string detail, LeaseEndReason end) =>
        Assert.Equal(end, LeaseLifecycle.ForKill(cause, detail).Reason);

    [Theory]
    [InlineData("memory limit: used 90 MiB of 64 MiB", LeaseEndReason.LimitExceeded)]
    [InlineData("time limit of 1 s reached", LeaseEndReason.TermEnded)]
    [InlineData("lease cancelled", LeaseEndReason.WorkloadLost)]
    public void ForKill_AgentWithoutTheCause_IsReadByItsWords(string detail, LeaseEndReason end) =>
        Assert.Equal(end, LeaseLifecycle.ForKill(WorkloadKillCause.Unknown, detail).Reason);

    [Fact]
    public void ForKill_WorkloadLost_SaysTheAgentKilledIt() =>
        Assert.Equal("the agent killed it: agent stopping", LeaseLifecycle.ForKill(WorkloadKillCause.AgentStopping, "agent stopping").Detail);
}
