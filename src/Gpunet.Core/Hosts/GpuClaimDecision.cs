namespace Gpunet.Core.Hosts;

/// <summary>What becomes of a registration that claims GPUs other hosts hold: refused, or the GPUs move to it.</summary>
/// <param name="RefusedBy">The holder that keeps its GPU, when the registration is refused.</param>
/// <param name="Refusal">Why, for the operator; null when the claim stands.</param>
/// <param name="Released">The holders that give their GPU up to the registering host; empty when refused.</param>
/// <param name="HolderFlagged">Whether the refusing holder is live (connected, or heard within the grace period): then two
/// live machines claim one GPU, and the holder is held too until the claimant is no longer seen.</param>
public sealed record GpuClaimDecision(GpuHolder? RefusedBy, string? Refusal, IReadOnlyList<GpuHolder> Released, bool HolderFlagged = false)
{
    /// <summary>Whether the registration is refused.</summary>
    public bool Refused => Refusal is not null;
}
