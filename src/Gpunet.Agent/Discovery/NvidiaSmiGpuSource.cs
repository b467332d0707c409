using System.Diagnostics;
using Gpunet.Core.Discovery;

namespace Gpunet.Agent.Discovery;

/// <summary>Discovers real NVIDIA GPUs by running <c>nvidia-smi --query-gpu=… --format=csv,noheader,nounits</c>.</summary>
public sealed class NvidiaSmiGpuSource(string nvidiaSmi = "nvidia-smi") : IGpuSource
{
    private string? _cudaVersion;

    public async Task<GpuInventory> ReadAsync(CancellationToken ct)
    {
        var csv = await RunAsync($"--query-gpu={NvidiaSmiParser.QueryFields} --format=csv,noheader,nounits", ct);
        var gpus = NvidiaSmiParser.ParseQueryCsv(csv);
        // The CUDA version appears only in the plain banner; it does not change while the driver runs.
        _cudaVersion ??= NvidiaSmiParser.ParseCudaVersion(await RunAsync("", ct)) ?? "";
        return new GpuInventory(gpus, gpus.Count > 0 ? gpus[0].DriverVersion : "", _cudaVersion, Simulated: false);
    }

    private async Task<string> RunAsync(string arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(nvidiaSmi, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {nvidiaSmi}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"could not run '{nvidiaSmi}' ({e.Message}); install the NVIDIA driver, or use --simulate MODEL:COUNT on a machine without GPUs", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                // nvidia-smi says why on stdout as often as on stderr ("No devices were found", exit 6; "NVIDIA-SMI has
                // failed because it couldn't communicate with the NVIDIA driver", exit 9).
                var why = string.Join(" ", new[] { (await stderr).Trim(), (await stdout).Trim() }.Where(t => t.Length > 0));
                throw new InvalidOperationException(
                    $"{nvidiaSmi} exited with {process.ExitCode}: {(why.Length > 0 ? why : "no reason given")}; use --simulate MODEL:COUNT on a machine without GPUs");
            }

            return await stdout;
        }
    }
}
