using System.ComponentModel;
using System.Diagnostics;

namespace Gpunet.Cli.Doctor;

/// <summary>Runs the real program, with a bound on how long it may take.</summary>
internal sealed class ProcessCommandRunner(TimeProvider time) : ICommandRunner
{
    // nvidia-smi can take seconds on a machine with many GPUs whose driver is not persistent; longer means it hangs.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public async Task<CommandOutput?> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (Win32Exception)
        {
            return null; // not installed, or not executable by this user: either way, not there to use
        }

        if (process is null)
            return null;
        using (process)
        using (var bound = new CancellationTokenSource(Bound, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, bound.Token))
        {
            var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
            var stderr = process.StandardError.ReadToEndAsync(linked.Token);
            try
            {
                await process.WaitForExitAsync(linked.Token);
                return new CommandOutput(process.ExitCode, await stdout, await stderr);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new CommandOutput(-1, "", $"{program} did not finish within {Bound.TotalSeconds:0} s");
            }
        }
    }
}
