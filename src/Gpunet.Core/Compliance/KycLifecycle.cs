using System.Globalization;

namespace Gpunet.Core.Compliance;

/// <summary>The KYC/KYB lifecycle: submit, approve or reject, expire, resubmit. Pure transition functions.</summary>
/// <remarks>
/// <code>
/// Unverified ─submit→ Pending ─approve→ Approved ─(ExpiresAt passes)→ Expired ─submit→ Pending
///                        └──reject→ Rejected ─submit (not final)→ Pending
/// </code>
/// Times are instants supplied by the caller; nothing here reads a clock.
/// </remarks>
public static class KycLifecycle
{
    /// <summary>How long an approval stays valid unless the caller says otherwise: 365 days.</summary>
    /// <remarks>Annual re-verification, the usual period for customer due diligence refresh.</remarks>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    /// <summary>The state as of <paramref name="now"/>: an approval at or past its <see cref="KycStatus.ExpiresAt"/> is <see cref="KycState.Expired"/>.</summary>
    public static KycState EffectiveState(KycStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.State == KycState.Approved && status.ExpiresAt is { } expires && now >= expires
            ? KycState.Expired
            : status.State;
    }

    /// <summary>A new submission: allowed when unverified, expired, or rejected with a retry allowed.</summary>
    public static KycTransition Submit(KycStatus current, DateTimeOffset now) => EffectiveState(current, now) switch
    {
        KycState.Pending => KycTransition.Refused("a submission is already waiting for review"),
        KycState.Approved => KycTransition.Refused(
            $"already approved until {current.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? "further notice"}"),
        KycState.Rejected when current.Final => KycTransition.Refused("rejected with no retry"),
        _ => KycTransition.To(new KycStatus(KycState.Pending, now, null, null, false, null)),
    };

    /// <summary>Approves the waiting submission; the approval is valid for <paramref name="validity"/> from <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validity"/> is not positive.</exception>
    public static KycTransition Approve(KycStatus current, DateTimeOffset now, TimeSpan validity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validity, TimeSpan.Zero);
        return Decide(current, now, "approved", () => current with
        {
            State = KycState.Approved, DecidedAt = now, ExpiresAt = now + validity, Final = false, Reason = null,
        });
    }

    /// <summary>Rejects the waiting submission; a <paramref name="final"/> rejection allows no new submission.</summary>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public static KycTransition Reject(KycStatus current, DateTimeOffset now, string reason, bool final)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Decide(current, now, "rejected", () => current with
        {
            State = KycState.Rejected, DecidedAt = now, ExpiresAt = null, Final = final, Reason = reason,
        });
    }

    private static KycTransition Decide(KycStatus current, DateTimeOffset now, string verb, Func<KycStatus> next)
    {
        var state = EffectiveState(current, now);
        return state == KycState.Pending
            ? KycTransition.To(next())
            : KycTransition.Refused($"only a pending submission can be {verb}; this one is {Word(state)}");
    }

    private static string Word(KycState state) => state switch
    {
        KycState.Unverified => "unverified",
        KycState.Approved => "approved",
        KycState.Rejected => "rejected",
        KycState.Expired => "expired",
        _ => "pending",
    };
}
