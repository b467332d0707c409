using System.Collections.Concurrent;

namespace Gpunet.Core.Identity;

/// <summary>Single-use sign-in challenges: issue a nonce to an address, then redeem it once with a signature.</summary>
/// <remarks>
/// Thread-safe. Nonces come from the caller (the host draws them from a CSPRNG) and the time from the caller,
/// so the rules here are testable without a clock. A nonce is forgotten when it is redeemed — successfully or
/// not — or when it expires, so a captured signature cannot be replayed.
/// </remarks>
public sealed class ChallengeBook(TimeSpan lifetime, TimeSpan maxClockSkew, int maxOpen = 100_000)
{
    private readonly ConcurrentDictionary<string, Challenge> _open = new(StringComparer.Ordinal);

    /// <summary>How long an issued challenge may be redeemed.</summary>
    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>How far the signer's timestamp may be from the receiver's clock.</summary>
    public TimeSpan MaxClockSkew { get; } = maxClockSkew;

    /// <summary>Number of challenges issued and not yet redeemed or swept.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Most challenges open at once; past it <see cref="TryIssue"/> refuses, so a flood of requests for
    /// challenges that are never answered cannot grow memory without bound.</summary>
    public int MaxOpen { get; } = maxOpen;

    /// <summary>Like <see cref="Issue"/>, but returns null when <see cref="MaxOpen"/> challenges are already open
    /// (after sweeping the expired ones).</summary>
    public Challenge? TryIssue(Address address, string purpose, string network, string nonce, DateTimeOffset now)
    {
        if (_open.Count >= MaxOpen && (Sweep(now) == 0 || _open.Count >= MaxOpen))
            return null;
        return Issue(address, purpose, network, nonce, now);
    }

    /// <summary>Records a challenge for <paramref name="address"/> and returns it.</summary>
    public Challenge Issue(Address address, string purpose, string network, string nonce, DateTimeOffset now)
    {
        var challenge = new Challenge(address, purpose, network, nonce, now, now + Lifetime);
        if (!_open.TryAdd(nonce, challenge))
            throw new InvalidOperationException("nonce reused; nonces must be unique");
        return challenge;
    }

    /// <summary>Checks a signed answer to a challenge; the challenge is consumed whatever the outcome.</summary>
    public ChallengeOutcome Redeem(CanonicalMessage answer, string signature, ISignatureScheme scheme, DateTimeOffset now)
    {
        if (!_open.TryRemove(answer.Nonce, out var challenge))
            return ChallengeOutcome.UnknownNonce;
        if (now > challenge.ExpiresAt)
            return ChallengeOutcome.Expired;
        if (challenge.Address != answer.Address)
            return ChallengeOutcome.WrongAddress;
        if (!string.Equals(challenge.Purpose, answer.Purpose, StringComparison.Ordinal))
            return ChallengeOutcome.WrongPurpose;
        if (!string.Equals(challenge.Network, answer.Network, StringComparison.Ordinal))
            return ChallengeOutcome.WrongNetwork;
        if ((answer.Timestamp - now).Duration() > MaxClockSkew)
            return ChallengeOutcome.StaleTimestamp;
        return scheme.Verify(answer, signature) ? ChallengeOutcome.Accepted : ChallengeOutcome.BadSignature;
    }

    /// <summary>Withdraws a challenge that will not be answered (its handshake ended); false if it was not open.</summary>
    public bool Cancel(string nonce) => _open.TryRemove(nonce, out _);

    /// <summary>Forgets expired challenges; returns how many were removed.</summary>
    public int Sweep(DateTimeOffset now)
    {
        var removed = 0;
        foreach (var (nonce, challenge) in _open)
        {
            if (now > challenge.ExpiresAt && _open.TryRemove(nonce, out _))
                removed++;
        }

        return removed;
    }
}

/// <summary>An issued sign-in challenge.</summary>
public sealed record Challenge(Address Address, string Purpose, string Network, string Nonce, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>Why a signed answer to a challenge was accepted or refused.</summary>
public enum ChallengeOutcome
{
    Accepted,
    /// <summary>Never issued, already used (a replay), or swept after expiry.</summary>
    UnknownNonce,
    Expired,
    WrongAddress,
    WrongPurpose,
    WrongNetwork,
    StaleTimestamp,
    BadSignature,
}

/// <summary>Human-readable reasons for <see cref="ChallengeOutcome"/>.</summary>
public static class ChallengeOutcomeText
{
    public static string Describe(this ChallengeOutcome outcome) => outcome switch
    {
        ChallengeOutcome.Accepted => "accepted",
        ChallengeOutcome.UnknownNonce => "unknown or already used nonce (replay?); ask for a new challenge",
        ChallengeOutcome.Expired => "the challenge expired; ask for a new one",
        ChallengeOutcome.WrongAddress => "the challenge was issued to another address",
        ChallengeOutcome.WrongPurpose => "the signed message is for another purpose",
        ChallengeOutcome.WrongNetwork => "the signed message is for another network",
        ChallengeOutcome.StaleTimestamp => "the signed timestamp is too far from the coordinator's clock",
        ChallengeOutcome.BadSignature => "the signature does not match the address",
        _ => outcome.ToString(),
    };
}
