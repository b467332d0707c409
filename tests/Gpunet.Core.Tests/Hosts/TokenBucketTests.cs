using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryTake_NewBucket_GivesBurstThenStops()
    {
        var bucket = new TokenBucket(1.0, 3, T0);

        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => bucket.TryTake(T0)));
    }

    [Fact]
    public void TryTake_AfterElapsedTime_RefillsAtRate()
    {
        var bucket = new TokenBucket(0.5, 2, T0);
        while (bucket.TryTake(T0))
        {
        }

        Assert.False(bucket.TryTake(T0.AddSeconds(1.9)));
        Assert.True(bucket.TryTake(T0.AddSeconds(2)));
        Assert.False(bucket.TryTake(T0.AddSeconds(2)));
    }

    [Fact]
    public void TryTake_TenthsOfATokenAddingUpToOne_GivesOne()
    {
        var bucket = new TokenBucket(0.1, 1, T0);
        Assert.True(bucket.TryTake(T0));

        // 0.1 added ten times is 0.9999999999999999 in doubles; it must still count as one token.
        var granted = Enumerable.Range(1, 10).Count(s => bucket.TryTake(T0.AddSeconds(s)));

        Assert.Equal(1, granted);
    }

    [Fact]
    public void TryTake_LongIdle_CapsAtBurst()
    {
        var bucket = new TokenBucket(1.0, 2, T0);
        var later = T0.AddHours(1);

        Assert.Equal(2, Enumerable.Range(0, 5).Count(_ => bucket.TryTake(later)));
    }

    [Fact]
    public void TryTake_TimeGoesBackwards_RefillsNothing()
    {
        var bucket = new TokenBucket(1.0, 1, T0.AddSeconds(10));
        Assert.True(bucket.TryTake(T0.AddSeconds(10)));

        Assert.False(bucket.TryTake(T0));
        Assert.False(bucket.TryTake(T0.AddSeconds(10.5)));
        Assert.True(bucket.TryTake(T0.AddSeconds(11)));
    }

    [Fact]
    public void TryTake_ZeroRate_NeverGrants()
    {
        var bucket = new TokenBucket(0, 0, T0);

        Assert.False(bucket.TryTake(T0.AddDays(1)));
    }
}
