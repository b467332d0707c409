using System.ComponentModel;
using System.Globalization;
using Gpunet.Cli.Client;
using Gpunet.Cli.Sla;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet sla summary [--month YYYY-MM] [--json]</c>: the whole network's SLA over a month, for the network
/// operator (the profile's admin token): credits owed, paid and unpaid, hosts offline and over their SLO allowance.</summary>
internal sealed class SlaSummaryCommand : AsyncCommand<SlaSummaryCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--month <YYYY-MM>")]
        [Description("The calendar month (UTC). Default the current one, to date")]
        public string? Month { get; init; }

        public override ValidationResult Validate() =>
            Month is not null && !SlaReportCommand.IsMonth(Month) ? ValidationResult.Error($"--month: '{Month}' is not YYYY-MM") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var s = await client.GetAsync<SlaSummaryView>("/api/v1/sla/summary" + (settings.Month is null ? "" : "?month=" + settings.Month), cancellationToken);
        if (settings.Json)
        {
            Render.Json(s);
            return 0;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]SLA summary[/]", Markup.Escape($"the network, {s.Month} ({s.From.UtcDateTime:yyyy-MM-dd HH:mm} to {s.To.UtcDateTime:yyyy-MM-dd HH:mm} UTC), {s.EpochsSettled} epoch(s) settled"));
        grid.AddRow("Leases owed credit", Markup.Escape($"{s.LeasesOwedCredit} (of {s.CustomersOwedCredit} customer(s), owed by {s.HostsOwingCredit} host(s)); downtime {SlaReportPdf.Duration(s.LeaseDowntimeSeconds)}"));
        grid.AddRow("Credits", Markup.Escape($"{s.CreditsOwed} tokens owed, {s.CreditsPaid} paid, {s.CreditsUnpaid} unpaid"));
        grid.AddRow("Hosts offline", Markup.Escape($"{s.HostsWithDowntime} at some time"));
        grid.AddRow("Hosts over SLO", $"{(s.HostsOverSlo == 0 ? "[green]0[/]" : $"[red]{s.HostsOverSlo}[/]")} " +
            Markup.Escape($"(a day offline {SlaReportPdf.Duration(s.DailyLimitSeconds)} or more, or the month over {SlaReportPdf.Duration(s.MonthlyAllowanceSeconds)})"));
        AnsiConsole.Write(grid);
        if (s.WorstHosts.Count > 0)
        {
            var t = new Table().RoundedBorder().Title($"Hosts over their SLO allowance (worst {s.WorstHosts.Count})")
                .AddColumns("host", "operator", "offline", "days over the limit", "worst day", "over the month's allowance");
            foreach (var h in s.WorstHosts)
            {
                t.AddRow(Markup.Escape(h.HostId), Markup.Escape(h.Operator), SlaReportPdf.Duration(h.OfflineSeconds),
                    h.DaysOverLimit.ToString(CultureInfo.InvariantCulture), SlaReportPdf.Duration(h.WorstDaySeconds), h.OverMonthlyAllowance ? "[red]yes[/]" : "no");
            }

            AnsiConsole.Write(t);
        }

        return 0;
    }
}
