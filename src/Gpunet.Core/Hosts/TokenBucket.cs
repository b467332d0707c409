namespace Gpunet.Core.Hosts;

/// <summary>A token bucket that refills with the time passed in by its caller.</summary>
/// <remarks>Rate in tokens per second. Starts full. Time that goes backwards refills nothing. Not thread-safe.</remarks>
public sealed class TokenBucket
{
    // Refill arithmetic is in doubles; a token this close to whole counts as whole, so 10 s at 0.1/s is one token.
    private const double Epsilon = 1e-9;

    private DateTimeOffset _refilledAt;

    public TokenBucket(double ratePerSecond, int burst, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        RatePerSecond = ratePerSecond;
        Burst = burst;
        Tokens = burst;
        _refilledAt = now;
    }

    /// <summary>Tokens added per second.</summary>
    public double RatePerSecond { get; }

    /// <summary>The most tokens the bucket holds.</summary>
    public int Burst { get; }

    /// <summary>Tokens held as of the last call.</summary>
    public double Tokens { get; private set; }

    /// <summary>Refills up to <paramref name="now"/> and takes one token if there is one.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        Refill(now);
        if (Tokens < 1 - Epsilon)
            return false;
        Tokens = Math.Max(0, Tokens - 1);
        return true;
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _refilledAt)
            return;
        Tokens = Math.Min(Burst, Tokens + ((now - _refilledAt).TotalSeconds * RatePerSecond));
        _refilledAt = now;
    }
}
