namespace Gpunet.Core.Identity;

/// <summary>Single-use sign-in challenges: issue a nonce to an address, then redeem it once with a signature.</summary>
/// <remarks>
/// Thread-safe: one lock guards the book's indexes (a few dictionary operations per call); signatures are checked
/// outside it. Nonces come from the caller (the host draws them from a CSPRNG) and the time from the caller, so the
/// rules here are testable without a clock. A nonce is forgotten when it is redeemed — successfully or not — withdrawn,
/// replaced by a newer one of its address, or when it expires, so a captured signature cannot be replayed.
/// Open challenges are bounded per source, per address and in all (<see cref="ChallengeLimits"/>), so one client
/// asking for challenges it never answers fills only its own allowance.
/// </remarks>
public sealed class ChallengeBook(TimeSpan lifetime, TimeSpan maxClockSkew, ChallengeLimits? limits = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _open = new(StringComparer.Ordinal);
    // Issue order is expiry order (one lifetime for all), so expired challenges are swept from the front.
    private readonly LinkedList<Entry> _byAge = new();
    private readonly Dictionary<string, int> _perSource = new(StringComparer.Ordinal);
    private readonly Dictionary<(Address, string), List<Entry>> _perAddress = [];

    /// <summary>How long an issued challenge may be redeemed.</summary>
    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>How far the signer's timestamp may be from the receiver's clock.</summary>
    public TimeSpan MaxClockSkew { get; } = maxClockSkew;

    /// <summary>The book's bounds on open challenges.</summary>
    public ChallengeLimits Limits { get; } = (limits ?? ChallengeLimits.Unlimited).Validated();

    /// <summary>Number of challenges issued and not yet redeemed, withdrawn, replaced or swept.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
                return _open.Count;
        }
    }

    /// <summary>Open challenges of one source.</summary>
    public int OpenFrom(string source)
    {
        lock (_gate)
            return _perSource.GetValueOrDefault(source);
    }

    /// <summary>Issues a challenge to <paramref name="address"/> asked for by <paramref name="source"/>, unless the
    /// source or the book is at its limit (after sweeping the expired ones). Past the address's limit the address's
    /// oldest challenge from that source is withdrawn to make room.</summary>
    /// <param name="source">The client's limit key, <see cref="ClientSource.Of"/>.</param>
    /// <exception cref="InvalidOperationException">The nonce is already open.</exception>
    public ChallengeIssue TryIssue(Address address, string purpose, string network, string nonce, string source, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_open.ContainsKey(nonce))
                throw new InvalidOperationException("nonce reused; nonces must be unique");
            var key = (address, source);
            var sameAddress = _perAddress.GetValueOrDefault(key);
            var replaces = Limits.ReplacesOldest(sameAddress?.Count ?? 0);
            if (!replaces && Limits.Refusal(_perSource.GetValueOrDefault(source), _open.Count) != ChallengeRefusal.None)
            {
                SweepLocked(now);
                var refusal = Limits.Refusal(_perSource.GetValueOrDefault(source), _open.Count);
                if (refusal != ChallengeRefusal.None)
                    return new ChallengeIssue(null, refusal);
            }

            string? replaced = null;
            if (replaces)
            {
                replaced = sameAddress![0].Challenge.Nonce;
                RemoveLocked(replaced);
            }

            var entry = new Entry(new Challenge(address, purpose, network, nonce, now, now + Lifetime), source);
            entry.Node = _byAge.AddLast(entry);
            _open.Add(nonce, entry);
            _perSource[source] = _perSource.GetValueOrDefault(source) + 1;
            if (!_perAddress.TryGetValue(key, out var list))
                _perAddress[key] = list = new List<Entry>(Math.Min(Limits.PerAddress, 8));
            list.Add(entry);
            return new ChallengeIssue(entry.Challenge, ChallengeRefusal.None, replaced);
        }
    }

    /// <summary>Records a challenge for <paramref name="address"/> from an unnamed source and returns it.</summary>
    /// <exception cref="InvalidOperationException">The nonce is already open, or a limit refused it.</exception>
    public Challenge Issue(Address address, string purpose, string network, string nonce, DateTimeOffset now)
    {
        var issue = TryIssue(address, purpose, network, nonce, ClientSource.Unknown, now);
        return issue.Challenge ?? throw new InvalidOperationException($"challenge refused: {issue.Refusal}");
    }

    /// <summary>Checks a signed answer to a challenge; the challenge is consumed whatever the outcome.</summary>
    public ChallengeOutcome Redeem(CanonicalMessage answer, string signature, ISignatureScheme scheme, DateTimeOffset now)
    {
        Challenge challenge;
        lock (_gate)
        {
            if (!_open.TryGetValue(answer.Nonce, out var entry))
                return ChallengeOutcome.UnknownNonce;
            challenge = entry.Challenge;
            RemoveLocked(answer.Nonce);
        }

        return Check(challenge, answer, signature, scheme, now, MaxClockSkew);
    }

    /// <summary>Checks a signed answer to <paramref name="challenge"/>, which the caller has already taken out of its book
    /// (single use is the book's part, in memory or in a store).</summary>
    /// <param name="maxClockSkew">How far the signer's timestamp may be from <paramref name="now"/>.</param>
    public static ChallengeOutcome Check(
        Challenge challenge, CanonicalMessage answer, string signature, ISignatureScheme scheme, DateTimeOffset now, TimeSpan maxClockSkew)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(scheme);
        if (now > challenge.ExpiresAt)
            return ChallengeOutcome.Expired;
        if (challenge.Address != answer.Address)
            return ChallengeOutcome.WrongAddress;
        if (!string.Equals(challenge.Purpose, answer.Purpose, StringComparison.Ordinal))
            return ChallengeOutcome.WrongPurpose;
        if (!string.Equals(challenge.Network, answer.Network, StringComparison.Ordinal))
            return ChallengeOutcome.WrongNetwork;
        if ((answer.Timestamp - now).Duration() > maxClockSkew)
            return ChallengeOutcome.StaleTimestamp;
        return scheme.Verify(answer, signature) ? ChallengeOutcome.Accepted : ChallengeOutcome.BadSignature;
    }

    /// <summary>Withdraws a challenge that will not be answered (its handshake ended); false if it was not open.</summary>
    public bool Cancel(string nonce)
    {
        lock (_gate)
            return RemoveLocked(nonce);
    }

    /// <summary>Forgets expired challenges; returns how many were removed.</summary>
    public int Sweep(DateTimeOffset now)
    {
        lock (_gate)
            return SweepLocked(now);
    }

    private int SweepLocked(DateTimeOffset now)
    {
        var removed = 0;
        // Mostly in expiry order; one issued under a clock that stepped back is swept once those before it are.
        while (_byAge.First is { } first && now > first.Value.Challenge.ExpiresAt)
        {
            RemoveLocked(first.Value.Challenge.Nonce);
            removed++;
        }

        return removed;
    }

    private bool RemoveLocked(string nonce)
    {
        if (!_open.Remove(nonce, out var entry))
            return false;
        _byAge.Remove(entry.Node!);
        var left = _perSource[entry.Source] - 1;
        if (left == 0)
            _perSource.Remove(entry.Source);
        else
            _perSource[entry.Source] = left;
        var key = (entry.Challenge.Address, entry.Source);
        var list = _perAddress[key];
        list.Remove(entry);
        if (list.Count == 0)
            _perAddress.Remove(key);
        return true;
    }

    private sealed class Entry(Challenge challenge, string source)
    {
        public Challenge Challenge { get; } = challenge;

        public string Source { get; } = source;

        public LinkedListNode<Entry>? Node { get; set; }
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
