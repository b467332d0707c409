using System.Globalization;
using System.Text.RegularExpressions;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Discovery;

/// <summary>Reads what nvidia-smi prints: the GPU query CSV and the CUDA version in its banner.</summary>
/// <remarks>The agent runs <c>nvidia-smi --query-gpu=<see cref="QueryFields"/> --format=csv,noheader,nounits</c>
/// and hands the text here; simulated GPUs (<see cref="SimulatedGpus"/>) are rendered in the same format and go
/// through the same parser.</remarks>
public static partial class NvidiaSmiParser
{
    /// <summary>The fields the agent asks nvidia-smi for, in the order <see cref="ParseQueryCsv"/> expects.</summary>
    public const string QueryFields =
        "index,uuid,name,memory.total,memory.used,utilization.gpu,temperature.gpu,driver_version,pci.bus_id";

    private static readonly string[] FieldNames = QueryFields.Split(',');

    /// <summary>The GPUs in <c>nvidia-smi --query-gpu=<see cref="QueryFields"/> --format=csv,noheader,nounits</c>
    /// output, in the order printed.</summary>
    /// <remarks>Blank lines are skipped, and so is a header line (output of <c>--format=csv</c>); unit suffixes
    /// (<c>81559 MiB</c>, <c>0 %</c>) are accepted when <c>nounits</c> was left out. Memory in use, utilisation and
    /// temperature are null where nvidia-smi prints a status instead of a value: <c>N/A</c>, or any bracketed one
    /// (<c>[N/A]</c>, <c>[Not Supported]</c>, <c>[Insufficient Permissions]</c> in a container, <c>[Unknown Error]</c>),
    /// so a card that cannot report its load is still found; every other field is required.</remarks>
    /// <exception cref="NvidiaSmiFormatException">A line is malformed; the message names its 1-based number and the
    /// field.</exception>
    public static IReadOnlyList<DiscoveredGpu> ParseQueryCsv(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var gpus = new List<DiscoveredGpu>();
        var lines = csv.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("index", StringComparison.OrdinalIgnoreCase))
                continue;
            gpus.Add(ParseLine(line, i + 1));
        }

        return gpus;
    }

    /// <summary>The CUDA version from nvidia-smi's banner (<c>| NVIDIA-SMI 535.129.03  Driver Version: 535.129.03
    /// CUDA Version: 12.2 |</c>) or from <c>nvidia-smi -q</c>; null when the output names none.</summary>
    public static string? ParseCudaVersion(string nvidiaSmiPlainOutput)
    {
        ArgumentNullException.ThrowIfNull(nvidiaSmiPlainOutput);
        var match = CudaVersionPattern().Match(nvidiaSmiPlainOutput);
        return match.Success ? match.Groups["version"].Value : null;
    }

    private static DiscoveredGpu ParseLine(string line, int lineNumber)
    {
        var fields = line.Split(',');
        if (fields.Length != FieldNames.Length)
        {
            throw new NvidiaSmiFormatException(lineNumber, "line",
                $"expected {FieldNames.Length} comma-separated fields ({QueryFields}), found {fields.Length}.");
        }

        for (var f = 0; f < fields.Length; f++)
            fields[f] = fields[f].Trim();

        var index = (int)ParseWhole(fields, 0, lineNumber, "", int.MaxValue);
        var uuid = Required(fields, 1, lineNumber);
        if (!uuid.StartsWith("GPU-", StringComparison.Ordinal))
            throw Bad(lineNumber, 1, fields[1], "expected a GPU UUID such as GPU-5e375e7e-b41f-155b-dcdc-534524c356fc.");
        var name = Required(fields, 2, lineNumber);
        var memoryTotal = ParseWhole(fields, 3, lineNumber, "MiB", long.MaxValue);
        var memoryUsed = IsNotAvailable(fields[4]) ? (long?)null : ParseWhole(fields, 4, lineNumber, "MiB", long.MaxValue);
        var utilization = ParseOptional(fields, 5, lineNumber, "%", 100);
        var temperature = ParseOptional(fields, 6, lineNumber, "C", 200);
        var driver = Required(fields, 7, lineNumber);
        var busId = Required(fields, 8, lineNumber);

        return new DiscoveredGpu(index, uuid, name, GpuCatalog.FromSmiName(name, memoryTotal), memoryTotal, memoryUsed,
            utilization, temperature, driver, busId);
    }

    private static string Required(string[] fields, int f, int lineNumber)
    {
        var value = fields[f];
        if (value.Length == 0 || IsNotAvailable(value))
            throw Bad(lineNumber, f, value, "a value is required.");
        return value;
    }

    private static long ParseWhole(string[] fields, int f, int lineNumber, string unit, long max)
    {
        var text = StripUnit(fields[f], unit);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            throw Bad(lineNumber, f, fields[f], "expected a whole number.");
        return value;
    }

    private static int? ParseOptional(string[] fields, int f, int lineNumber, string unit, int max)
    {
        if (IsNotAvailable(fields[f]))
            return null;
        var text = StripUnit(fields[f], unit);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ||
            value > max)
        {
            throw Bad(lineNumber, f, fields[f], $"expected a whole number up to {max}, or [N/A].");
        }

        return value;
    }

    private static string StripUnit(string value, string unit) =>
        unit.Length > 0 && value.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
            ? value[..^unit.Length].TrimEnd()
            : value;

    // nvidia-smi prints a bracketed status ("[N/A]", "[Not Supported]", "[Insufficient Permissions]", "[Unknown Error]",
    // "[GPU requires reset]"), or on older drivers "N/A" or "Not Supported", for values a GPU cannot report.
    private static bool IsNotAvailable(string value) =>
        (value.Length >= 2 && value[0] == '[' && value[^1] == ']') ||
        value.Equals("N/A", StringComparison.OrdinalIgnoreCase) ||
        value.Equals("Not Supported", StringComparison.OrdinalIgnoreCase);

    private static NvidiaSmiFormatException Bad(int lineNumber, int f, string value, string expected) =>
        new(lineNumber, FieldNames[f], $"'{value}' is not valid; {expected}");

    [GeneratedRegex(@"CUDA Version\s*:\s*(?<version>\d+(?:\.\d+)*)", RegexOptions.CultureInvariant)]
    private static partial Regex CudaVersionPattern();
}
