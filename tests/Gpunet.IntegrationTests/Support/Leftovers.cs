using System.Globalization;

namespace Gpunet.IntegrationTests.Support;

/// <summary>What an earlier test run left running when its test host died without its clean-up (killed, or crashed):
/// every child this run starts carries <see cref="Variable"/>, naming this test host, and passes it to its own children;
/// before a run starts its first child, it kills the processes whose test host is gone.</summary>
/// <remarks>A crashed test host used to leave three coordinators, a devnet and a settlement host running, and the next run
/// on the machine failed on time (load average 74). A child cannot die with its parent on its own: a parent-death signal
/// follows the thread that started it, and the thread pool retires its threads.</remarks>
internal static class Leftovers
{
    public const string Variable = "GPUNET_TEST_HOST";

    private static readonly Lazy<int> Cleared = new(KillOrphans);

    /// <summary>This test host: its process id and start time (a process id alone is reused).</summary>
    public static string ThisHost { get; } = Mark(Environment.ProcessId) ?? Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Kills, once per run, the processes that an earlier run's dead test host started; returns how many.</summary>
    public static int Clear() => Cleared.Value;

    /// <summary>Whether the test host named by <paramref name="mark"/> still runs.</summary>
    public static bool Alive(string mark) => int.TryParse(mark.Split(':')[0], CultureInfo.InvariantCulture, out var id) && Mark(id) == mark;

    /// <summary>A name for what this run makes outside its own processes (a compose project): <c>PREFIX-PID-START-SUFFIX</c>,
    /// which <see cref="IsOrphanName"/> reads back.</summary>
    public static string Name(string prefix, string suffix) => $"{prefix}-{ThisHost.Replace(':', '-')}-{suffix}";

    /// <summary>Whether <paramref name="name"/> was made by <see cref="Name"/> with <paramref name="prefix"/> for a test
    /// host that is gone.</summary>
    public static bool IsOrphanName(string name, string prefix) =>
        name.StartsWith(prefix + "-", StringComparison.Ordinal) && name[(prefix.Length + 1)..].Split('-') is [var pid, var start, _]
        && !Alive($"{pid}:{start}");

    /// <summary>Kills the processes whose test host is gone (<see cref="Clear"/> does it once per run); returns how many.</summary>
    internal static int KillOrphans()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        var killed = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
                continue;
            if (HostOf(pid) is { } host && host != ThisHost && !Alive(host))
            {
                try
                {
                    using var orphan = System.Diagnostics.Process.GetProcessById(pid);
                    orphan.Kill(entireProcessTree: true);
                    killed++;
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone meanwhile, or not ours to kill.
                }
            }
        }

        return killed;
    }

    /// <summary>The test host that started process <paramref name="pid"/>, from its environment; null for any other.</summary>
    private static string? HostOf(int pid)
    {
        try
        {
            var prefix = Variable + "=";
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"pid:start" (the start in clock ticks since boot, /proc/PID/stat's 22nd field); null when no such process.</summary>
    private static string? Mark(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{pid}:{fields[22 - 3]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
