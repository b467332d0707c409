namespace Gpunet.Core.Hosts;

/// <summary>What becomes of a registration that claims GPUs other hosts hold: refused, or the GPUs move to it.</summary>
/// <param name="RefusedBy">The holder that keeps its GPU, when the registration is refused.</param>
/// <param name="Refusal">Why, for the operator; null when the claim stands.</param>
/// <param name="Released">The holders that give their GPU up to the registering host; empty when refused.</param>
public sealed record GpuClaimDecision(GpuHolder? RefusedBy, string? Refusal, IReadOnlyList<GpuHolder> Released)
{
    /// <summary>Whether the registration is refused.</summary>
    public bool Refused => Refusal is not null;
}
