using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Gpunet.Cli.Client;
using Gpunet.Cli.Sla;
using Gpunet.Contracts.Network;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet sla report [--lease ID | --host ID | --customer ADDRESS] [--month YYYY-MM] [--json | --csv | --pdf FILE]</c>:
/// a month's SLA report as a summary, JSON, CSV of the downtime windows, or a PDF. The summary lists the first 1,000
/// windows; JSON, CSV and PDF hold every window and credit.</summary>
internal sealed partial class SlaReportCommand : AsyncCommand<SlaReportCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--lease <ID>")]
        [Description("Report on one of your leases (lease-…)")]
        public string? Lease { get; init; }

        [CommandOption("--host <ID>")]
        [Description("Report on a host you operate (host-…): its availability, downtime and SLO per day")]
        public string? Host { get; init; }

        [CommandOption("--customer <ADDRESS>")]
        [Description("Report on all of a customer's leases (your own address)")]
        public string? Customer { get; init; }

        [CommandOption("--month <YYYY-MM>")]
        [Description("The calendar month (UTC). Default the current one, to date")]
        public string? Month { get; init; }

        [CommandOption("--csv")]
        [Description("Print the downtime windows as CSV (a header, then one row per window)")]
        public bool Csv { get; init; }

        [CommandOption("--pdf <FILE>")]
        [Description("Write the report as a PDF: parties, figures, a chart of daily availability, every window")]
        public string? Pdf { get; init; }

        public override ValidationResult Validate() =>
            new[] { Lease, Host, Customer }.Count(s => !string.IsNullOrEmpty(s)) != 1 ? ValidationResult.Error("name one subject: --lease ID, --host ID or --customer ADDRESS")
            : (Json ? 1 : 0) + (Csv ? 1 : 0) + (Pdf is null ? 0 : 1) > 1 ? ValidationResult.Error("one output at a time: --json, --csv or --pdf FILE")
            : Pdf is { Length: 0 } ? ValidationResult.Error("--pdf: name the file to write")
            : Month is not null && !MonthPattern().IsMatch(Month) ? ValidationResult.Error($"--month: '{Month}' is not YYYY-MM")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: settings.Host is null);
        var (name, value) = settings.Lease is { Length: > 0 } lease ? ("lease", lease) : settings.Host is { Length: > 0 } host ? ("host", host) : ("customer", settings.Customer!);
        var query = $"?{name}={Uri.EscapeDataString(value)}" + (settings.Month is null ? "" : "&month=" + settings.Month);
        var path = "/api/v1/sla/report" + query;
        // The table lists the answer's first windows and counts the rest; JSON, CSV and PDF hold every one.
        var report = settings.Json || settings.Csv || settings.Pdf is not null
            ? await SlaReportPages.WholeAsync(client, path, cancellationToken)
            : await client.GetAsync<SlaReportView>(path, cancellationToken);
        if (settings.Json)
        {
            Render.Json(report);
            return 0;
        }

        if (settings.Csv)
        {
            Console.Out.Write(SlaReportCsv.Write(report));
            return 0;
        }

        var promise = await PromiseAsync(client, report.Tier, cancellationToken);
        if (settings.Pdf is { } file)
        {
            var parties = await PartiesAsync(client, report, cancellationToken);
            await using (var output = File.Create(file))
                SlaReportPdf.Write(report, parties, promise, TimeProvider.System.GetUtcNow(), output);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(file)}[/]: SLA report on {Markup.Escape(SlaReportPdf.Subject(report))} for {report.Month}");
            return 0;
        }

        Show(report, promise);
        return 0;
    }

    /// <summary>The tier's promised availability in percent, from <c>/sla/tiers</c>; null when the coordinator does not
    /// publish its tiers or no longer offers this one.</summary>
    private static async Task<decimal?> PromiseAsync(CoordinatorClient client, string tier, CancellationToken ct)
    {
        if (tier.Length == 0)
            return null;
        try
        {
            var tiers = await client.GetAsync<List<SlaTierView>>("/api/v1/sla/tiers", ct);
            return tiers.FirstOrDefault(t => t.Name == tier)?.AvailabilityPercent;
        }
        catch (CliException)
        {
            return null;
        }
    }

    /// <summary>Who the report is between: the network, the customer (a lease's owner) and each host's operator.</summary>
    private static async Task<SlaReportParties> PartiesAsync(CoordinatorClient client, SlaReportView report, CancellationToken ct)
    {
        var network = await client.GetAsync<NetworkView>("/api/v1/network", ct);
        string? customer = report.Subject == "customer" ? report.Id : null;
        var hostIds = report.Windows.Select(w => w.HostId).OfType<string>().ToList();
        if (report.Subject == "lease")
        {
            var lease = await client.GetAsync<LeaseView>($"/api/v1/leases/{Uri.EscapeDataString(report.Id)}", ct);
            customer = lease.Owner;
            if (lease.HostId is { } current)
                hostIds.Add(current);
        }
        else if (report.Subject == "host")
        {
            hostIds = [report.Id];
        }

        var hosts = new List<HostParty>();
        foreach (var id in hostIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            try
            {
                hosts.Add(new HostParty(id, (await client.GetAsync<HostView>($"/api/v1/hosts/{Uri.EscapeDataString(id)}", ct)).Address));
            }
            catch (CliException)
            {
                hosts.Add(new HostParty(id, null)); // deregistered since: the report still names it
            }
        }

        return new SlaReportParties(network.Network, client.BaseUri.ToString().TrimEnd('/'), customer, hosts);
    }

    private static void Show(SlaReportView r, decimal? promise)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]SLA report[/]", Markup.Escape($"{SlaReportPdf.Subject(r)}, {r.Month} ({r.From.UtcDateTime:yyyy-MM-dd HH:mm} to {r.To.UtcDateTime:yyyy-MM-dd HH:mm} UTC)"));
        grid.AddRow("Tier", Markup.Escape(r.Tier.Length == 0 ? "none" : r.Tier + (promise is { } p ? string.Create(CultureInfo.InvariantCulture, $" (promises {p} %)") : "")));
        grid.AddRow("Availability", $"{Percent(r.Availability)} {(r.Met ? "[green]met[/]" : "[red]missed[/]")}");
        grid.AddRow("Downtime", Markup.Escape($"{SlaReportPdf.Duration(r.DowntimeSeconds)} of {SlaReportPdf.Duration(r.ObligatedSeconds)} owed; maintenance {SlaReportPdf.Duration(r.MaintenanceSeconds)} (not counted)"));
        grid.AddRow("Credits", Markup.Escape($"{r.CreditedTotal} tokens in {r.Credits.Count + (r.CreditsUnlisted ?? 0)} settlement(s)"));
        if (r.HostMonthlyUptime is { } uptime)
            grid.AddRow("Host SLO", $"monthly uptime {Percent(uptime)}, {(r.HostSloMet == true ? "[green]met[/]" : "[red]not met[/]")}");
        AnsiConsole.Write(grid);
        if (r.Windows.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no downtime in the period[/]");
        }
        else
        {
            var t = new Table().RoundedBorder().Title("Downtime windows").AddColumns("start (UTC)", "end (UTC)", "time", "cause", "counts", "host", "evidence");
            foreach (var w in r.Windows)
            {
                t.AddRow($"{w.Start.UtcDateTime:yyyy-MM-dd HH:mm:ss}", $"{w.End.UtcDateTime:yyyy-MM-dd HH:mm:ss}", SlaReportPdf.Duration(w.Seconds),
                    Markup.Escape(w.Cause), w.CountsAgainstCustomer ? "yes" : "[grey]no[/]", Markup.Escape(w.HostId ?? "-"), Markup.Escape(w.Detail));
            }

            if (r.WindowsUnlisted is { } more)
                t.Caption($"and {more:N0} later windows (the downtime above counts them)");
            AnsiConsole.Write(t);
        }

        if (r.HostSlo.Count > 0)
        {
            var t = new Table().RoundedBorder().Title("Host SLO per UTC day").AddColumns("day", "offline", "uptime", "under the limit");
            foreach (var d in r.HostSlo)
                t.AddRow(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), SlaReportPdf.Duration(d.OfflineSeconds), Percent(d.Uptime), d.Met ? "[green]yes[/]" : "[red]no[/]");
            AnsiConsole.Write(t);
        }

        foreach (var c in r.Credits)
            AnsiConsole.MarkupLine(Markup.Escape($"credit epoch {c.Epoch}: {c.Credited} tokens for {c.LeaseId} ({c.Reason})"));
        if (r.CreditsUnlisted is { } later)
            AnsiConsole.MarkupLine(Markup.Escape($"and {later:N0} later credits (the total counts them)"));
    }

    private static string Percent(double share) => (share * 100).ToString("0.000", CultureInfo.InvariantCulture) + " %";

    /// <summary>Whether <paramref name="text"/> is a month as the API takes it, YYYY-MM.</summary>
    internal static bool IsMonth(string text) => MonthPattern().IsMatch(text);

    [GeneratedRegex(@"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();
}
