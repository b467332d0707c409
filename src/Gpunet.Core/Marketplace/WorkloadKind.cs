namespace Gpunet.Core.Marketplace;

/// <summary>What kind of work an order runs.</summary>
public enum WorkloadKind
{
    /// <summary>Runs to completion.</summary>
    Job,
    /// <summary>Long-running and exposes a port.</summary>
    Service,
    /// <summary>An interactive (cloud-gaming) session: short and latency-bound.</summary>
    Session,
}
