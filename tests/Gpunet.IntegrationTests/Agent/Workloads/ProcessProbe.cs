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

    /// <summary>A fresh directory to be the agent's work root.</summary>
    public static string Root() => Directory.CreateTempSubdirectory("gpunet-work-").FullName;
}
