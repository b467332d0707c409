namespace Gpunet.Core.Hosts;

/// <summary>How much of a zone is unhealthy, in the sense of the Kubernetes node lifecycle controller.</summary>
public enum ZoneDisruption
{
    /// <summary>Few hosts unhealthy: Offline transitions at the normal rate.</summary>
    Normal,
    /// <summary>More than 2 hosts and at least the unhealthy threshold unhealthy: slowed down, or stopped in small zones.</summary>
    PartialDisruption,
    /// <summary>Every host in the zone unhealthy: normal rate, unless every zone is fully disrupted.</summary>
    FullDisruption,
}
