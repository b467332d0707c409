namespace Gpunet.Coordinator.Auth;

/// <summary>How a budget of so many requests a minute refills: evenly, in the smallest equal steps of whole requests
/// that add up to exactly the budget each minute (1,200 a minute: 20 every second; 90: 3 every 2 s; 7: all 7 each
/// minute).</summary>
/// <param name="Tokens">Requests given back at each step.</param>
/// <param name="Period">The time between steps: a whole number of seconds that divides a minute.</param>
internal readonly record struct MinuteRefill(int Tokens, TimeSpan Period)
{
    public static MinuteRefill Of(int perMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        var steps = (int)System.Numerics.BigInteger.GreatestCommonDivisor(perMinute, 60);
        return new MinuteRefill(perMinute / steps, TimeSpan.FromSeconds(60 / steps));
    }

    /// <summary>Seconds until a bucket holding <paramref name="left"/> of <paramref name="perMinute"/> is whole again,
    /// at most (the current step may be nearly over).</summary>
    public long SecondsUntilWhole(int perMinute, long left) =>
        (long)Math.Ceiling(Math.Max(0, perMinute - left) / (double)Tokens) * (long)Period.TotalSeconds;
}
