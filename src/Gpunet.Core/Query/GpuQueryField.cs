namespace Gpunet.Core.Query;

/// <summary>A property of a <see cref="Gpus.GpuOffer"/> that a GPU query can test.</summary>
public enum GpuQueryField
{
    /// <summary><c>model</c> / <c>gpu</c>: the canonical model name or the family, case-insensitive.</summary>
    Model,

    /// <summary><c>vram</c>: memory per GPU in GB.</summary>
    Vram,

    /// <summary><c>count</c> / <c>num_gpus</c>: free GPUs on the host, a whole number.</summary>
    Count,

    /// <summary><c>country</c>: ISO 3166-1 alpha-2 code, case-insensitive.</summary>
    Country,

    /// <summary><c>region</c>: state or province, case-insensitive.</summary>
    Region,

    /// <summary><c>price</c> / <c>dph</c>: USD per GPU-hour.</summary>
    Price,

    /// <summary><c>cc</c> / <c>compute_cap</c>: CUDA compute capability, e.g. 8.9.</summary>
    ComputeCapability,

    /// <summary><c>host</c>: the host id.</summary>
    Host,
}
