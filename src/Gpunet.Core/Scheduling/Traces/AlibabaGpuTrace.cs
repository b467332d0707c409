using System.Globalization;

namespace Gpunet.Core.Scheduling.Traces;

/// <summary>Reads the CSV files of Alibaba's cluster-trace-gpu-v2023 (the "Beware of Fragmentation" traces) from
/// their text.</summary>
/// <remarks>Node lists: <c>sn,cpu_milli,memory_mib,gpu,model</c>. Pod lists:
/// <c>name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec][,...,creation_time,deletion_time,...]</c>, columns
/// found by header name; <c>gpu_milli</c> is per GPU, <c>gpu_spec</c> lists acceptable models separated by
/// <c>|</c> (empty: any). Errors name the file and line.</remarks>
public static class AlibabaGpuTrace
{
    /// <summary>The nodes of a node list.</summary>
    /// <param name="source">The file's name, for error messages.</param>
    public static IReadOnlyList<NodeSpec> ParseNodes(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nodes = new List<NodeSpec>();
        var columns = Columns(text, source, ["sn", "cpu_milli", "memory_mib", "gpu", "model"], out var rows);
        foreach (var (line, cells) in rows)
        {
            var gpus = Int(cells, columns[3], "gpu", source, line);
            var model = Cell(cells, columns[4], "model", source, line).Trim();
            if (gpus > 0 && model.Length == 0)
                throw new TraceFormatException($"{source}:{line}: a node with GPUs needs a model");
            nodes.Add(new NodeSpec(
                Cell(cells, columns[0], "sn", source, line).Trim(),
                Int(cells, columns[1], "cpu_milli", source, line),
                Int(cells, columns[2], "memory_mib", source, line),
                gpus,
                model));
        }

        return nodes;
    }

    /// <summary>The pods of a pod list, in file order.</summary>
    /// <param name="source">The file's name, for error messages.</param>
    public static IReadOnlyList<TracePod> ParsePods(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pods = new List<TracePod>();
        var columns = Columns(text, source,
            ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "?gpu_spec", "?creation_time", "?deletion_time"], out var rows);
        var timed = columns[6] >= 0;
        if (timed != columns[7] >= 0)
            throw new TraceFormatException($"{source}:1: creation_time and deletion_time come together or not at all");
        foreach (var (line, cells) in rows)
        {
            var name = Cell(cells, columns[0], "name", source, line).Trim();
            var spec = columns[5] >= 0 ? Cell(cells, columns[5], "gpu_spec", source, line).Trim() : "";
            var models = spec.Length == 0 ? [] : spec.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            PlacementRequest request;
            try
            {
                request = new PlacementRequest(
                    Int(cells, columns[1], "cpu_milli", source, line),
                    Int(cells, columns[2], "memory_mib", source, line),
                    Int(cells, columns[3], "num_gpu", source, line),
                    Int(cells, columns[4], "gpu_milli", source, line),
                    models);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new TraceFormatException($"{source}:{line}: pod {name}: {e.Message}", e);
            }

            long? created = timed ? Long(cells, columns[6], "creation_time", source, line) : null;
            long? deleted = timed && Cell(cells, columns[7], "deletion_time", source, line).Trim().Length > 0
                ? Long(cells, columns[7], "deletion_time", source, line)
                : null;
            if (deleted < created)
                throw new TraceFormatException($"{source}:{line}: pod {name}: deletion_time before creation_time");
            pods.Add(new TracePod(name, request, created, deleted));
        }

        return pods;
    }

    // Indexes of the wanted columns in the header (-1 for an optional one, marked '?', that is absent), and the
    // data rows with their 1-based line numbers.
    private static int[] Columns(string text, string source, string[] wanted, out List<(int Line, string[] Cells)> rows)
    {
        rows = [];
        string[]? header = null;
        var line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var l = raw.TrimEnd('\r');
            if (l.Trim().Length == 0)
                continue;
            var cells = l.Split(',');
            if (header is null)
                header = [.. cells.Select(c => c.Trim().ToLowerInvariant())];
            else
                rows.Add((line, cells));
        }

        if (header is null)
            throw new TraceFormatException($"{source}:1: empty file, expected a header line");
        var columns = new int[wanted.Length];
        for (var i = 0; i < wanted.Length; i++)
        {
            var optional = wanted[i].StartsWith('?');
            var name = wanted[i].TrimStart('?');
            columns[i] = Array.IndexOf(header, name);
            if (columns[i] < 0 && !optional)
                throw new TraceFormatException($"{source}:1: no '{name}' column in the header");
        }

        return columns;
    }

    private static string Cell(string[] cells, int column, string name, string source, int line) =>
        column < cells.Length ? cells[column] : throw new TraceFormatException($"{source}:{line}: missing '{name}'");

    private static int Int(string[] cells, int column, string name, string source, int line) =>
        int.TryParse(Cell(cells, column, name, source, line).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new TraceFormatException($"{source}:{line}: '{name}' is not a non-negative integer: '{cells[column]}'");

    private static long Long(string[] cells, int column, string name, string source, int line) =>
        long.TryParse(Cell(cells, column, name, source, line).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new TraceFormatException($"{source}:{line}: '{name}' is not a non-negative integer: '{cells[column]}'");
}
