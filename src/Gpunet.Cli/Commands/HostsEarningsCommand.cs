using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet hosts earnings HOST [--limit N] [--json]</c>: what one of your hosts earned per settled epoch.</summary>
internal sealed class HostsEarningsCommand : AsyncCommand<HostsEarningsCommand.Settings>
{
    public sealed class Settings : HostsSettings
    {
        [CommandArgument(0, "<HOST>")]
        [Description("Host id (host-…), one of yours (the network operator may name any)")]
        public string Host { get; init; } = "";

        [CommandOption("--limit <N>")]
        [Description("The last N settled epochs (1 to 1000, default 30)")]
        public int? Limit { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Limit is < 1 or > 1000)
            throw new CliException("--limit: 1 to 1000");
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var query = settings.Limit is { } n ? $"?limit={n}" : "";
        var rows = await client.GetAsync<List<HostEarningView>>($"/api/v1/hosts/{Uri.EscapeDataString(settings.Host)}/earnings{query}", cancellationToken);
        if (settings.Json)
        {
            Render.Json(rows);
            return 0;
        }

        if (rows.Count == 0)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(settings.Host)} has earned nothing in a settled epoch yet (rewards need it fully staked and Ready).[/]");
            return 0;
        }

        // Slashes and SLA credits get columns only when there are any: the common table fits 80 columns.
        var slashed = rows.Any(r => r.Slashed != "0");
        var credited = rows.Any(r => r.Credited != "0");
        var t = new Table().RoundedBorder().Title($"[bold]{Markup.Escape(settings.Host)}[/]: earned per epoch (tokens, vesting to the operator)")
            .AddColumns("epoch", "ended (UTC)", "[bold]earned[/]", "capacity", "delivery", "fees");
        if (slashed)
            t.AddColumn("slashed");
        if (credited)
            t.AddColumn("SLA credits");
        foreach (var r in rows)
        {
            var cells = new List<string> { r.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), r.End.UtcDateTime.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                $"[bold]{r.Earned}[/]", r.Capacity, r.Delivery, r.Fees };
            if (slashed)
                cells.Add(r.Slashed == "0" ? r.Slashed : $"[red]{r.Slashed}[/]");
            if (credited)
                cells.Add(r.Credited == "0" ? r.Credited : $"[yellow]{r.Credited}[/]");
            t.AddRow([.. cells]);
        }

        AnsiConsole.Write(t);
        return 0;
    }
}
