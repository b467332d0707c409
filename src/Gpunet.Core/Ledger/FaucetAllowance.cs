namespace Gpunet.Core.Ledger;

/// <summary>How much a test network's faucet may still give one wallet: its limit per rolling day, less what it gave
/// that wallet in the day before now.</summary>
/// <remarks>Derived from the faucet transfers the ledger stores, so it holds across restarts and across coordinators
/// that share a store.</remarks>
public static class FaucetAllowance
{
    /// <summary>The window a wallet's claims count in: the last 24 hours.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>What the faucet may still give: <paramref name="limit"/> less the <paramref name="claims"/> made after
    /// <paramref name="now"/> − <see cref="Window"/>; zero when they reach the limit.</summary>
    public static TokenAmount Remaining(TokenAmount limit, IEnumerable<(TokenAmount Amount, DateTimeOffset At)> claims, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var given = TokenAmount.Zero;
        foreach (var (amount, at) in claims)
        {
            if (Counts(at, now))
                given = given + amount >= limit ? limit : given + amount;
        }

        return limit - given;
    }

    /// <summary>When the oldest claim still counted leaves the window (the allowance grows then); null when none counts.</summary>
    public static DateTimeOffset? GrowsAt(IEnumerable<(TokenAmount Amount, DateTimeOffset At)> claims, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claims);
        DateTimeOffset? oldest = null;
        foreach (var (_, at) in claims)
        {
            if (Counts(at, now) && (oldest is null || at < oldest))
                oldest = at;
        }

        return oldest + Window;
    }

    // A claim counts for exactly one Window: from its time up to, not including, its time plus a day.
    private static bool Counts(DateTimeOffset at, DateTimeOffset now) => at > now - Window;
}
