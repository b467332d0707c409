namespace Gpunet.Core.Compliance;

/// <summary>Where a participant's KYC/KYB verification stands, as stored.</summary>
/// <param name="State">The stored state; an approval past <paramref name="ExpiresAt"/> is still stored as
/// <see cref="KycState.Approved"/>, see <see cref="KycLifecycle.EffectiveState"/>.</param>
/// <param name="SubmittedAt">When the last submission was made.</param>
/// <param name="DecidedAt">When the last submission was approved or rejected.</param>
/// <param name="ExpiresAt">When an approval stops being valid; null unless approved.</param>
/// <param name="Final">A rejection with no retry (e.g. a sanctions match); false otherwise.</param>
/// <param name="Reason">Why it was rejected; null unless rejected.</param>
public sealed record KycStatus(
    KycState State, DateTimeOffset? SubmittedAt, DateTimeOffset? DecidedAt, DateTimeOffset? ExpiresAt, bool Final, string? Reason)
{
    /// <summary>Nothing submitted yet: the status of every new participant.</summary>
    public static KycStatus Unverified { get; } = new(KycState.Unverified, null, null, null, false, null);
}
