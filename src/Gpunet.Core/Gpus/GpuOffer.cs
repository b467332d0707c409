using System.ComponentModel.DataAnnotations;

namespace Gpunet.Core.Gpus;

/// <summary>Free GPUs of one model on one host, as a customer searching the market sees them.</summary>
/// <param name="HostId">The host's id (<c>host-…</c>).</param>
/// <param name="Model">Canonical model name, e.g. <c>H100-SXM5-80GB</c>.</param>
/// <param name="Family">Model family, e.g. <c>H100</c>.</param>
/// <param name="VramGb">Memory per GPU in GB.</param>
/// <param name="ComputeCapability">CUDA compute capability, e.g. 9.0.</param>
/// <param name="Count">How many of these GPUs are free on the host.</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code of the host.</param>
/// <param name="Region">Region (state, province) of the host.</param>
/// <param name="PriceUsdPerGpuHour">The host's ask, USD per GPU-hour.</param>
/// <remarks>The text bounds are the API's (Gpunet.Contracts' patterns and TextLimits, which this core cannot name).</remarks>
public sealed record GpuOffer(
    [property: RegularExpression("^host-[0-9a-f]{12}$")] string HostId,
    [property: MaxLength(64)] string Model,
    [property: MaxLength(64)] string Family,
    int VramGb,
    decimal ComputeCapability,
    int Count,
    [property: RegularExpression("^[A-Z]{2}$")] string Country,
    [property: MaxLength(64)] string Region,
    decimal PriceUsdPerGpuHour);
