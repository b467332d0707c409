namespace Gpunet.Core.Economics;

/// <summary>Why a container is slashed (MISSION.md; going offline while idle is not slashed, it only earns nothing).</summary>
public enum SlashKind
{
    /// <summary>Downtime while serving a customer: 1/3 of the required stake by default.</summary>
    Downtime,

    /// <summary>Deceiving the matcher or delivering well below the claimed spec: the whole required stake by default.</summary>
    Deceit,
}
