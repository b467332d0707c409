using System.Diagnostics;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>Looks at processes the tests' workloads start.</summary>
internal static class ProcessProbe
{
    /// <summary>Whether a process runs (a zombie waiting for its parent counts as gone).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(" Z ", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The host pids of live processes with <paramref name="argument"/> among their arguments; finds a sandboxed
    /// workload's processes, whose own pids are those of its PID namespace.</summary>
    public static IReadOnlyList<int> WithArgument(string argument) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Arguments(pid).Contains(argument) && Alive(pid))];

    private static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A fresh directory to be the agent's work root.</summary>
    public static string Root() => Directory.CreateTempSubdirectory("gpunet-work-").FullName;
}
