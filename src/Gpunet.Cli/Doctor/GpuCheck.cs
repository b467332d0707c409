using Gpunet.Core.Discovery;

namespace Gpunet.Cli.Doctor;

/// <summary>The NVIDIA driver and CUDA: what the agent reads at start (nvidia-smi's query CSV and its banner), read the
/// same way, so a host whose GPUs the agent could not describe, or the coordinator would refuse, is told before it
/// joins.</summary>
internal static class GpuCheck
{
    public const string Name = "gpu";

    /// <summary>The arguments of the agent's own query (<see cref="NvidiaSmiParser.QueryFields"/>).</summary>
    public static IReadOnlyList<string> QueryArguments { get; } = [$"--query-gpu={NvidiaSmiParser.QueryFields}", "--format=csv,noheader,nounits"];

    private const string Simulate = "on a machine without NVIDIA GPUs, `gpunet agent --simulate MODEL:COUNT` joins a test network with simulated ones";

    /// <param name="nvidiaSmi">The program run (the agent's <c>--nvidia-smi</c>).</param>
    /// <param name="query">nvidia-smi's answer to <see cref="QueryArguments"/>; null when it is not installed.</param>
    /// <param name="banner">nvidia-smi's plain output, where the CUDA version is; null when not run.</param>
    public static DoctorCheck Evaluate(string nvidiaSmi, CommandOutput? query, CommandOutput? banner)
    {
        if (query is null)
        {
            return DoctorCheck.Warn(Name, $"{nvidiaSmi} not found: no NVIDIA driver on this host",
                $"install the NVIDIA driver, which brings nvidia-smi (Debian: apt-get install nvidia-driver); {Simulate}");
        }

        if (query.ExitCode != 0)
        {
            return DoctorCheck.Fail(Name, $"{nvidiaSmi} failed (exit {query.ExitCode}): {query.FirstLine}",
                "the driver is installed but does not answer: check that its kernel module is loaded (lsmod | grep nvidia) "
                + "and matches the installed driver version (reboot after a driver upgrade)");
        }

        IReadOnlyList<DiscoveredGpu> gpus;
        try
        {
            gpus = NvidiaSmiParser.ParseQueryCsv(query.Stdout);
        }
        catch (NvidiaSmiFormatException e)
        {
            return DoctorCheck.Fail(Name, $"{nvidiaSmi}'s output is not understood: {e.Message}",
                "install a current NVIDIA driver: the agent reads nvidia-smi's --query-gpu CSV");
        }

        if (gpus.Count == 0)
            return DoctorCheck.Warn(Name, $"{nvidiaSmi} lists no GPU", $"check that the GPUs are seated and powered (lspci | grep -i nvidia); {Simulate}");

        // The coordinator refuses a host with a GPU outside the catalog (host.gpus[i].model: unknown GPU model).
        if (gpus.FirstOrDefault(g => g.Model is null) is { } unknown)
        {
            return DoctorCheck.Fail(Name, $"GPU {unknown.Index} '{unknown.Name}' ({unknown.MemoryTotalMiB} MiB) is not a model of Gpunet's catalog: the coordinator refuses the host",
                "run a newer gpunet, whose catalog may know it, or report the model with nvidia-smi's line for it");
        }

        var cuda = banner is { ExitCode: 0 } ? NvidiaSmiParser.ParseCudaVersion(banner.Stdout) : null;
        var models = string.Join(", ", gpus.GroupBy(g => g.Model!.Name).Select(m => $"{m.Count()} × {m.Key}"));
        var driver = $"{models}, driver {gpus[0].DriverVersion}";
        return cuda is null
            ? DoctorCheck.Warn(Name, $"{driver}; the driver names no CUDA version", "install a driver that supports CUDA (R450 or later) and names its version in nvidia-smi's banner")
            : DoctorCheck.Ok(Name, $"{driver}, CUDA {cuda}");
    }
}
