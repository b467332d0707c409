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
public sealed record GpuOffer(
    string HostId,
    string Model,
    string Family,
    int VramGb,
    decimal ComputeCapability,
    int Count,
    string Country,
    string Region,
    decimal PriceUsdPerGpuHour);
