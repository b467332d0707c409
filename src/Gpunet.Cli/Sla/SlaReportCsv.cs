using System.Globalization;
using System.Text;

namespace Gpunet.Cli.Sla;

/// <summary>A report's downtime windows as CSV (RFC 4180: a header, CRLF line ends, fields with a comma, quote or line
/// break quoted, quotes doubled), one row per window.</summary>
internal static class SlaReportCsv
{
    /// <summary>The columns, named as the JSON fields of a window are.</summary>
    public static readonly IReadOnlyList<string> Columns = ["start", "end", "seconds", "cause", "countsAgainstCustomer", "hostId", "detail"];

    public static string Write(SlaReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder();
        Row(csv, Columns);
        foreach (var w in report.Windows)
        {
            Row(csv,
            [
                Utc(w.Start), Utc(w.End), w.Seconds.ToString("0.###", CultureInfo.InvariantCulture), w.Cause,
                w.CountsAgainstCustomer ? "true" : "false", w.HostId ?? "", Defused(w.Detail),
            ]);
        }

        return csv.ToString();
    }

    /// <summary>One field as RFC 4180 writes it.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void Row(StringBuilder csv, IEnumerable<string> fields) => csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A detail can carry words a host's operator chose (a maintenance reason): one that a spreadsheet would take
    /// for a formula gets a leading apostrophe, so opening the file runs nothing.</summary>
    private static string Defused(string detail) => detail.Length > 0 && detail[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + detail : detail;
}
