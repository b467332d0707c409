using System.Globalization;
using System.Text;

namespace Gpunet.Coordinator.Storage;

/// <summary>A host's free capacity as the matcher last committed it; <see cref="Version"/> guards against two
/// coordinators giving the same resources away (optimistic concurrency).</summary>
internal sealed class HostCapacityRecord
{
    public required string HostId { get; set; }
    public int FreeCpuMilli { get; set; }
    public int FreeMemoryMib { get; set; }
    /// <summary>Free thousandths of each GPU by index, comma-separated, e.g. <c>1000,1000,500</c>.</summary>
    public string FreeGpuMilli { get; set; } = "";
    /// <summary>Incremented by every committed change; the expected value is checked on update.</summary>
    public long Version { get; set; }

    /// <summary>Free GPU shares in the stored form.</summary>
    public static string FormatGpus(ReadOnlySpan<int> free)
    {
        var sb = new StringBuilder(free.Length * 5);
        for (var i = 0; i < free.Length; i++)
        {
            if (i > 0)
                sb.Append(',');
            sb.Append(free[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Whether the stored form holds exactly <paramref name="free"/> (as many GPUs, the same shares), read in
    /// place: the capacity reconcile compares every host's row this way without a string or an array per host.</summary>
    public static bool SameGpus(string stored, ReadOnlySpan<int> free)
    {
        var rest = stored.AsSpan();
        if (free.Length == 0)
            return rest.IsEmpty;
        for (var i = 0; i < free.Length; i++)
        {
            var comma = rest.IndexOf(',');
            var last = i == free.Length - 1;
            if (comma < 0 != last)
                return false;
            if (!int.TryParse(last ? rest : rest[..comma], NumberStyles.Integer, CultureInfo.InvariantCulture, out var share) || share != free[i])
                return false;
            if (!last)
                rest = rest[(comma + 1)..];
        }

        return true;
    }

    /// <summary>How many GPUs the stored form holds.</summary>
    public static int GpuCount(string stored) => stored.Length == 0 ? 0 : stored.AsSpan().Count(',') + 1;

    /// <summary>Free GPU shares from the stored form.</summary>
    public static int[] ParseGpus(string free) =>
        free.Length == 0 ? [] : free.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
