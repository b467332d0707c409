using Gpunet.Coordinator.Marketplace;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>When a release the store refused for good is tried again: after the first wait, then after waits that
/// double, never more than five minutes apart, and never once it is released.</summary>
public sealed class UnreleasedAllocationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARefusedRelease_IsDueAfterTheFirstWait_ThenAfterWaitsThatDouble_UpToFiveMinutes()
    {
        var unreleased = new UnreleasedAllocations(TimeSpan.FromSeconds(2));
        unreleased.Refused("l1.1", T0);
        Assert.Empty(unreleased.Due(T0.AddSeconds(1.9)));
        Assert.Equal(["l1.1"], unreleased.Due(T0.AddSeconds(2)));

        // Refused again at each try: 4 s, 8 s, … and at most 5 minutes.
        var at = T0.AddSeconds(2);
        var waits = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            unreleased.Refused("l1.1", at);
            var next = at.AddSeconds(1);
            while (unreleased.Due(next).Count == 0)
                next = next.AddSeconds(1);
            waits.Add((next - at).TotalSeconds);
            at = next;
        }

        Assert.Equal([4, 8, 16, 32, 64, 128, 256, 300, 300, 300], waits);
    }

    [Fact]
    public void AReleasedAllocation_IsNeverDueAgain_AndOthersKeepTheirOwnWaits()
    {
        var unreleased = new UnreleasedAllocations(TimeSpan.FromSeconds(2));
        unreleased.Refused("l1.1", T0);
        unreleased.Refused("l2.1", T0.AddSeconds(1));
        unreleased.Forget("l1.1");

        Assert.Empty(unreleased.Due(T0.AddSeconds(2)));
        Assert.Equal(["l2.1"], unreleased.Due(T0.AddSeconds(3)));
        Assert.Equal(1, unreleased.Count);
    }
}
