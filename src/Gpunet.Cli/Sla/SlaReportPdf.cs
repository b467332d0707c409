using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Gpunet.Cli.Sla;

/// <summary>A report as a PDF a procurement team can file: title, period, parties, the figures against the promise
/// (availability, downtime by cause, credits), a chart of daily availability, every downtime window, the host SLO table
/// for a host, and when and from where it was generated on every page.</summary>
internal static class SlaReportPdf
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="promisePercent">The tier's promised availability in percent; null when the tier is not known here.</param>
    /// <param name="generatedAt">When the report was made, for its footer.</param>
    public static void Write(SlaReportView report, SlaReportParties parties, decimal? promisePercent, DateTimeOffset generatedAt, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(parties);
        using var document = new PdfDocument();
        var subject = Subject(report);
        document.Info.Title = $"Service level report: {subject}, {report.Month}";
        document.Info.Subject = $"Availability, downtime and credits of {subject} from {Utc(report.From)} to {Utc(report.To)}";
        document.Info.Author = $"{parties.Network} network coordinator at {parties.CoordinatorUrl}";
        document.Info.Creator = "gpunet sla report";
        document.Info.Keywords = string.Join(' ', "SLA", report.Subject, report.Id, report.Month);

        using (var page = new PdfLayout(document))
        {
            page.Line("Service level report", page.Title, after: 4);
            page.Line($"{subject}, {MonthName(report.Month)}", page.Heading, XBrushes.DimGray, after: 10);

            page.Section("Period");
            var ongoing = report.To < MonthEnd(report.Month);
            page.Pairs(
            [
                ("Month", $"{report.Month} (UTC)"),
                ("Measured from", Utc(report.From)),
                ("Measured to", Utc(report.To) + (ongoing ? " (month to date)" : "")),
            ]);

            page.Section("Parties");
            page.Pairs(Parties(report, parties));

            page.Section("Figures");
            page.Pairs(Figures(report, promisePercent));
            var byCause = report.Windows.GroupBy(w => w.Cause).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (byCause.Count > 0)
            {
                page.Line("Downtime by cause", page.Bold, after: 2);
                page.Table(["cause", "windows", "time", "counts against the customer"], [0.3, 0.15, 0.25, 0.3],
                    byCause.Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(Invariant), Duration(g.Sum(w => w.Seconds)), g.First().CountsAgainstCustomer ? "yes" : "no (declared maintenance)"]));
            }

            if (report.Credits.Count > 0)
            {
                page.Line("Credits", page.Bold, after: 2);
                page.Table(["epoch", "at (UTC)", "lease", "availability", "credited", "unpaid", "reason"], [0.06, 0.18, 0.18, 0.12, 0.09, 0.07, 0.30],
                    report.Credits.Select(c => (IReadOnlyList<string>)[c.Epoch.ToString(Invariant), Cell(c.At), c.LeaseId, Percent(c.Availability), c.Credited, c.Unpaid, OneLine(c.Reason)]));
            }

            page.Section("Daily availability");
            if (SlaChart.Png(report, promisePercent, 800, 310, scale: 2) is { } chart)
                page.Image(chart, 310.0 / 800);
            else
                page.Line("No service was owed in the period.");

            page.Section("Downtime windows");
            if (report.Windows.Count == 0)
                page.Line("None: no downtime was measured in the period.");
            else
                page.Table(["start (UTC)", "end (UTC)", "time", "cause", "counts", "host", "evidence"], [0.18, 0.18, 0.09, 0.12, 0.06, 0.17, 0.20],
                    report.Windows.Select(w => (IReadOnlyList<string>)[Cell(w.Start), Cell(w.End), Duration(w.Seconds), w.Cause, w.CountsAgainstCustomer ? "yes" : "no", w.HostId ?? "(no host)", OneLine(w.Detail)]));

            if (report.Subject == "host")
            {
                page.Section("Host SLO");
                page.Pairs(
                [
                    ("Monthly uptime", report.HostMonthlyUptime is { } u ? Percent(u) : "-"),
                    ("SLO", report.HostSloMet == true ? "met: every day under the daily offline limit, and the monthly uptime reached"
                        : "not met: a day over the daily offline limit, or the monthly uptime short"),
                ]);
                page.Table(["day (UTC)", "offline", "uptime", "under the daily limit"], [0.25, 0.25, 0.25, 0.25],
                    report.HostSlo.Select(d => (IReadOnlyList<string>)[d.Day.ToString("yyyy-MM-dd", Invariant), Duration(d.OfflineSeconds), Percent(d.Uptime), d.Met ? "yes" : "NO"]));
                page.Line("Maintenance counts against a host's SLO, not against its customers' availability.", page.Small);
            }

            page.Footers($"Generated {Utc(generatedAt)} by gpunet from the coordinator at {parties.CoordinatorUrl} ({parties.Network})");
        }

        document.Save(output, closeStream: false);
    }

    /// <summary>What the report is on, in words: <c>lease lease-…</c>, <c>host host-…</c>, <c>customer 0x…</c>.</summary>
    public static string Subject(SlaReportView report) => $"{report.Subject} {report.Id}";

    private static List<(string, string)> Parties(SlaReportView report, SlaReportParties parties)
    {
        var rows = new List<(string, string)>();
        if (parties.Customer is { } customer)
            rows.Add(("Customer", customer));
        else if (report.Subject == "host")
            rows.Add(("Customers", "the customers whose leases the host served"));
        foreach (var h in parties.Hosts)
            rows.Add(($"Host {h.HostId}", $"operated by {h.Operator ?? "(no longer registered)"}"));
        if (parties.Hosts.Count == 0)
            rows.Add(("Hosts", "(no host served in the period)"));
        rows.Add(("Network", parties.Network));
        rows.Add(("Coordinator", parties.CoordinatorUrl));
        return rows;
    }

    private static List<(string, string)> Figures(SlaReportView report, decimal? promisePercent)
    {
        var tier = report.Tier.Length == 0 ? "none" : report.Tier;
        var promise = promisePercent is { } p ? $"{p.ToString(Invariant)} % monthly availability" : "(the tier's terms are not published by this coordinator)";
        return
        [
            ("SLA tier", tier),
            ("Promise", report.Tier.Length == 0 ? "no tier: nothing promised" : promise),
            ("Availability", $"{Percent(report.Availability)}, {(report.Met ? "promise met" : "PROMISE MISSED")}"),
            ("Service owed", Duration(report.ObligatedSeconds)),
            ("Downtime (customer)", $"{Duration(report.DowntimeSeconds)} in {report.Windows.Count(w => w.CountsAgainstCustomer)} window(s)"),
            ("Declared maintenance", $"{Duration(report.MaintenanceSeconds)} (does not count against the customer)"),
            ("Credits", $"{report.CreditedTotal} tokens in {report.Credits.Count} settlement(s), paid automatically"),
        ];
    }

    private static string Percent(double share) => (share * 100).ToString("0.000", Invariant) + " %";

    /// <summary>A length in words: <c>0 s</c>, <c>42 s</c>, <c>12 min 5 s</c>, <c>3 h 20 min</c>, <c>2 d 4 h</c>.</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays} d {t.Hours} h"
            : t.TotalHours >= 1 ? $"{t.Hours} h {t.Minutes} min"
            : t.TotalMinutes >= 1 ? $"{t.Minutes} min {t.Seconds} s"
            : $"{t.Seconds} s";
    }

    /// <summary>A time in a table, whose header says UTC.</summary>
    private static string Cell(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant);

    /// <summary>Evidence on one table line: its line breaks as spaces.</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC";

    private static string MonthName(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", Invariant, DateTimeStyles.None, out var m) ? m.ToString("MMMM yyyy", Invariant) : month;

    private static DateTimeOffset MonthEnd(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", Invariant, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var m)
            ? new DateTimeOffset(m, TimeSpan.Zero).AddMonths(1) : DateTimeOffset.MaxValue;
}
