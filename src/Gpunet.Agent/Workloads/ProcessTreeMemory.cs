using System.Globalization;

namespace Gpunet.Agent.Workloads;

/// <summary>Resident memory of a process and all its descendants, read from Linux's <c>/proc</c>.</summary>
internal static class ProcessTreeMemory
{
    /// <summary>Whether this host has a <c>/proc</c> to read.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && File.Exists("/proc/self/statm");

    /// <summary>The summed resident set of <paramref name="rootPid"/> and its descendants, in bytes.</summary>
    public static long ResidentBytes(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            if (ParentOf(pid) is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                    children[parent] = list = [];
                list.Add(pid);
            }
        }

        long total = 0;
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            total += ResidentBytesOf(pid);
            if (children.TryGetValue(pid, out var kids))
            {
                foreach (var kid in kids)
                    pending.Push(kid);
            }
        }

        return total;
    }

    private static int? ParentOf(int pid)
    {
        var stat = ReadOrNull($"/proc/{pid}/stat");
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0)
            return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
    }

    private static long ResidentBytesOf(int pid)
    {
        // statm: size resident shared ... in pages.
        var fields = ReadOrNull($"/proc/{pid}/statm")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 1 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
            ? pages * Environment.SystemPageSize
            : 0;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }
}
