using System.Diagnostics.CodeAnalysis;

namespace Gpunet.Core.Compliance;

/// <summary>The outcome of a KYC lifecycle step: the next status, or why the step is refused.</summary>
/// <param name="Next">The status after the step; null when refused.</param>
/// <param name="Refusal">Why the step is refused, in words for the participant; null when allowed.</param>
public sealed record KycTransition(KycStatus? Next, string? Refusal)
{
    /// <summary>Whether the step is allowed.</summary>
    [MemberNotNullWhen(true, nameof(Next))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Ok => Next is not null;

    /// <summary>An allowed step.</summary>
    public static KycTransition To(KycStatus next) => new(next, null);

    /// <summary>A refused step.</summary>
    public static KycTransition Refused(string refusal) => new(null, refusal);
}
