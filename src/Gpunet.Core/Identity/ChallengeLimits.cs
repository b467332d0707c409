namespace Gpunet.Core.Identity;

/// <summary>How many sign-in challenges one <see cref="ChallengeBook"/> keeps open at once.</summary>
/// <remarks>Each pool (customers' sign-in, agents' handshakes) has its own book and limits, so a flood of one cannot
/// lock the other out. A challenge costs memory until it is answered, withdrawn or expires.</remarks>
/// <param name="MaxOpen">Most challenges open in the book; past it every source is refused until some expire.</param>
/// <param name="PerSource">Most open challenges of one source (<see cref="ClientSource"/>: an IPv4 address or an IPv6
/// /64); past it that source is refused, others are not.</param>
/// <param name="PerAddress">Most open challenges of one wallet address from one source; a new one replaces the oldest.
/// Counted per source so that someone who knows your address cannot withdraw or block your sign-in from elsewhere.</param>
public sealed record ChallengeLimits(int MaxOpen, int PerSource, int PerAddress)
{
    /// <summary>No limit but memory: for tests of the other rules.</summary>
    public static ChallengeLimits Unlimited { get; } = new(int.MaxValue, int.MaxValue, int.MaxValue);

    /// <summary>Whether a new challenge for an address that already has <paramref name="openForAddress"/> open from its
    /// source replaces the oldest of them. A replacement keeps the source's and the book's counts, so it is never refused.</summary>
    public bool ReplacesOldest(int openForAddress) => openForAddress >= PerAddress;

    /// <summary>Why a new challenge (not a replacement) is refused with <paramref name="openFromSource"/> open from its
    /// source and <paramref name="openInAll"/> open in the book, expired ones already swept; <see cref="ChallengeRefusal.None"/>
    /// when it may be issued.</summary>
    public ChallengeRefusal Refusal(int openFromSource, int openInAll) =>
        openFromSource >= PerSource ? ChallengeRefusal.SourceBusy
        : openInAll >= MaxOpen ? ChallengeRefusal.Full
        : ChallengeRefusal.None;

    /// <summary>Throws when a limit is below one.</summary>
    public ChallengeLimits Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpen, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(PerSource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(PerAddress, 1);
        return this;
    }
}
