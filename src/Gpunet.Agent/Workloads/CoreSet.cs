namespace Gpunet.Agent.Workloads;

/// <summary>Which CPU cores the process runtime pins workloads to: the least used first, lowest index on a tie, so
/// that the same sequence of starts and ends always gives the same cores and leases spread over the machine.</summary>
/// <remarks>Thread-safe. Pure bookkeeping: pinning is the caller's.</remarks>
internal sealed class CoreSet(IReadOnlyList<int> cores)
{
    private readonly int[] _cores = [.. cores.Distinct().Order()];
    private readonly int[] _users = new int[cores.Distinct().Count()];
    private readonly Lock _lock = new();

    /// <summary>The cores this agent may use (its own affinity), or 0..ProcessorCount-1 when that cannot be read.</summary>
    public static CoreSet ForThisProcess() => new(AllowedCores() ?? [.. Enumerable.Range(0, Environment.ProcessorCount)]);

    /// <summary>Takes ceil(<paramref name="cpuMilli"/> / 1000) cores (all of them if there are fewer).</summary>
    public IReadOnlyList<int> Take(int cpuMilli)
    {
        var count = Math.Min(_cores.Length, (cpuMilli + 999) / 1000);
        lock (_lock)
        {
            var picked = Enumerable.Range(0, _cores.Length).OrderBy(i => _users[i]).ThenBy(i => i).Take(count).Order().ToList();
            foreach (var i in picked)
                _users[i]++;
            return [.. picked.Select(i => _cores[i])];
        }
    }

    /// <summary>Gives back cores from <see cref="Take"/>.</summary>
    public void Release(IReadOnlyList<int> taken)
    {
        lock (_lock)
        {
            foreach (var core in taken)
            {
                var i = Array.BinarySearch(_cores, core);
                if (i >= 0 && _users[i] > 0)
                    _users[i]--;
            }
        }
    }

    /// <summary>Formats cores as <c>taskset -c</c> reads them: <c>0,2,5</c>.</summary>
    public static string ToList(IReadOnlyList<int> cores) =>
        string.Join(',', cores.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Parses a kernel CPU list such as <c>0-3,8,10-11</c>.</summary>
    internal static IReadOnlyList<int> ParseList(string list)
    {
        var cores = new List<int>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = int.Parse(dash < 0 ? part : part[..dash], System.Globalization.CultureInfo.InvariantCulture);
            var last = dash < 0 ? first : int.Parse(part[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            for (var c = first; c <= last; c++)
                cores.Add(c);
        }

        return cores;
    }

    private static IReadOnlyList<int>? AllowedCores()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            var cores = line is null ? null : ParseList(line["Cpus_allowed_list:".Length..]);
            return cores is { Count: > 0 } ? cores : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
