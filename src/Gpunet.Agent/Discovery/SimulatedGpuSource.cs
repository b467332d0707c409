using Gpunet.Core.Discovery;

namespace Gpunet.Agent.Discovery;

/// <summary>Simulated GPUs for machines without any: renders nvidia-smi's CSV and parses it with the real parser.</summary>
public sealed class SimulatedGpuSource(IReadOnlyList<SimulatedGpuSpec> specs, string seed) : IGpuSource
{
    public const string DriverVersion = "550.54.15";
    public const string CudaVersion = "12.4";

    /// <summary>Parses <c>MODEL:COUNT</c> specs; throws <see cref="FormatException"/> naming the bad one.</summary>
    public static SimulatedGpuSource FromSpecs(IEnumerable<string> specs, string seed) =>
        new([.. specs.Select(SimulatedGpuSpec.Parse)], seed);

    public Task<GpuInventory> ReadAsync(CancellationToken ct)
    {
        var csv = SimulatedGpus.RenderQueryCsv(specs, seed, DriverVersion);
        return Task.FromResult(new GpuInventory(NvidiaSmiParser.ParseQueryCsv(csv), DriverVersion, CudaVersion, Simulated: true));
    }
}
