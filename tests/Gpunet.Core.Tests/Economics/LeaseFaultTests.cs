using Gpunet.Core.Economics;
using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Economics;

public sealed class LeaseFaultTests
{
    [Theory]
    [InlineData(LeaseEndReason.Completed, true)]
    [InlineData(LeaseEndReason.ExitNonzero, true)]
    [InlineData(LeaseEndReason.Cancelled, true)]
    [InlineData(LeaseEndReason.TermEnded, true)]
    [InlineData(LeaseEndReason.LimitExceeded, true)]
    [InlineData(LeaseEndReason.StartFailed, true)]
    [InlineData(LeaseEndReason.FundsExhausted, true)]
    [InlineData(LeaseEndReason.HostLost, false)]
    [InlineData(LeaseEndReason.StartTimeout, false)]
    [InlineData(LeaseEndReason.WorkloadLost, false)]
    [InlineData(LeaseEndReason.Compliance, false)]
    [InlineData(LeaseEndReason.QueueTimeout, false)]
    public void CustomerAtFault_EachReason_AsTheRefundRuleSays(LeaseEndReason reason, bool atFault)
    {
        Assert.Equal(atFault, LeaseFault.CustomerAtFault(reason));
        Assert.Equal(atFault, LeaseFault.CustomerAtFault(LeaseLifecycle.Spell(reason)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Completed")]
    public void CustomerAtFault_NoOrUnknownSpelling_NotTheCustomers(string? reason) =>
        Assert.False(LeaseFault.CustomerAtFault(reason));
}
