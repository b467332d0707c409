namespace Gpunet.Simulation;

/// <summary>A customer's order: one lease of <paramref name="Gpus"/> whole GPUs for <paramref name="DurationMs"/>.</summary>
/// <param name="Number">Unique per order; the lease is <c>lease-NUMBER</c>, and a retry sends the same number.</param>
internal sealed record OrderRequest(long Number, int Customer, int Gpus, long DurationMs, bool Restartable, decimal UsdPerGpuHour)
{
    public string LeaseId => "lease-" + Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
