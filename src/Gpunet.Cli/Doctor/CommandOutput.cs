namespace Gpunet.Cli.Doctor;

/// <summary>What a program printed and how it exited.</summary>
internal sealed record CommandOutput(int ExitCode, string Stdout, string Stderr = "")
{
    /// <summary>The first non-empty line of stderr, else of stdout: the usual one-line reason of a failed tool.</summary>
    public string FirstLine =>
        (Stderr + "\n" + Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
