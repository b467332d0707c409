using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Discovery;

/// <summary>Renders simulated GPUs as the text real nvidia-smi prints, so they go through the same parser.</summary>
/// <remarks>Output matches <c>nvidia-smi --query-gpu=<see cref="NvidiaSmiParser.QueryFields"/>
/// --format=csv,noheader,nounits</c> on an idle machine: the model's product name and memory total as real cards
/// report them, no memory used, 0 % utilisation. UUIDs and temperatures come from SHA-256 of the seed and the GPU
/// index, so one seed always describes the same machine and another seed a different one.</remarks>
public static class SimulatedGpus
{
    // Bus ids of the eight GPUs on an HGX H100 board (as on the Supermicro SYS-821GE-TNHR in NVIDIA/nccl#1264).
    private static readonly string[] HgxBusIds =
    [
        "00000000:18:00.0", "00000000:2A:00.0", "00000000:3A:00.0", "00000000:5D:00.0",
        "00000000:9A:00.0", "00000000:AB:00.0", "00000000:BA:00.0", "00000000:DB:00.0",
    ];

    /// <summary>The query CSV for these GPUs, indexed from 0 in the order given, one line per GPU.</summary>
    /// <param name="specs">The GPUs to simulate.</param>
    /// <param name="seed">Identity of the simulated machine; the same seed gives the same UUIDs.</param>
    /// <param name="driverVersion">The driver version to report.</param>
    public static string RenderQueryCsv(IEnumerable<SimulatedGpuSpec> specs, string seed, string driverVersion = "550.54.15")
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentException.ThrowIfNullOrWhiteSpace(driverVersion);

        var csv = new StringBuilder();
        var index = 0;
        foreach (var spec in specs)
        {
            ArgumentNullException.ThrowIfNull(spec);
            for (var i = 0; i < spec.Count; i++, index++)
            {
                var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/gpu/{index.ToString(CultureInfo.InvariantCulture)}"));
                // Idle data-centre GPUs sit at roughly 28-40 °C (NVIDIA/nccl#1264: 28C and 31C at idle).
                var temperature = 28 + (hash[16] % 13);
                csv.Append(CultureInfo.InvariantCulture,
                    $"{index}, {Uuid(hash)}, {spec.Model.SmiName}, {GpuCatalog.SmiMemoryTotalMiB(spec.Model)}, 0, 0, " +
                    $"{temperature}, {driverVersion}, {BusId(index)}\n");
            }
        }

        return csv.ToString();
    }

    // nvidia-smi's UUID shape: GPU- and 32 lower-case hex digits grouped 8-4-4-4-12.
    private static string Uuid(byte[] hash)
    {
        var hex = Convert.ToHexStringLower(hash.AsSpan(0, 16));
        return $"GPU-{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static string BusId(int index) =>
        index < HgxBusIds.Length
            ? HgxBusIds[index]
            : string.Create(CultureInfo.InvariantCulture, $"{1 + (index / 256):X8}:{index % 256:X2}:00.0");
}
