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

    /// <summary>Free GPU shares from the stored form.</summary>
    public static int[] ParseGpus(string free) =>
        free.Length == 0 ? [] : free.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
