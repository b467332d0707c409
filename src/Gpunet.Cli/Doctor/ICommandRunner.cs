namespace Gpunet.Cli.Doctor;

/// <summary>Runs a host tool (<c>nvidia-smi</c>, <c>timedatectl</c>) for the doctor; tests feed recorded outputs.</summary>
internal interface ICommandRunner
{
    /// <summary>The program's output, or null when it is not installed (not found, or not executable).</summary>
    Task<CommandOutput?> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct);
}
