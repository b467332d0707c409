using System.Globalization;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet sla tiers</c>: the SLA tiers an order may ask for (<c>gpunet rent --sla TIER</c>), what each
/// promises and credits, and what a host's record needs to serve it.</summary>
internal sealed class SlaTiersCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var tiers = await client.GetAsync<List<SlaTierView>>("/api/v1/sla/tiers", cancellationToken);
        if (settings.Json)
        {
            Render.Json(tiers);
            return 0;
        }

        // One credit step and one requirement a line, so that the table fits 80 columns.
        var t = new Table().RoundedBorder().ShowRowSeparators().AddColumns("tier", "monthly", "replace", "latency", "credits", "host needs");
        foreach (var tier in tiers)
        {
            t.AddRow(Markup.Escape(tier.Name), Percent(tier.AvailabilityPercent), Duration(tier.MaxReplacementSeconds),
                Invariant($"{tier.SessionLatencyMs:0.#} ms"), Markup.Escape(Credits(tier)), Markup.Escape(Requirements(tier)));
        }

        AnsiConsole.Write(t);
        AnsiConsole.MarkupLine("[grey]monthly: availability promised per calendar month · replace: the longest wait for a new host after a loss · "
            + "latency: the most a session's round trip may take · credits: a share of the period's fees, paid at each epoch without a claim (late: the replacement took "
            + "longer) · host needs: the host's record of uptime, capacity checks passed and leases completed · gpunet rent --sla TIER[/]");
        return 0;
    }

    /// <summary>The credit schedule, a step a line (<c>&lt; 99.5 %: 10 %</c>), and the late-replacement credit.</summary>
    internal static string Credits(SlaTierView tier)
    {
        var lines = tier.Credits.Select(c => $"< {Percent(c.BelowPercent)}: {Share(c.CreditPercent)}").ToList();
        if (tier.ReplacementCreditPercent > 0)
            lines.Add($"late: {Share(tier.ReplacementCreditPercent)}");
        return lines.Count > 0 ? string.Join('\n', lines) : "none";
    }

    /// <summary>What a host's record needs, a kind a line (<c>uptime ≥ 99.9 %</c>), or <c>none</c>.</summary>
    internal static string Requirements(SlaTierView tier)
    {
        var lines = new List<string>(3);
        if (tier.MinHostUptime > 0)
            lines.Add($"uptime ≥ {Share((decimal)tier.MinHostUptime * 100)}");
        if (tier.MinCheckPassRate > 0)
            lines.Add($"checks ≥ {Share((decimal)tier.MinCheckPassRate * 100)}");
        if (tier.MinLeaseCompletion > 0)
            lines.Add($"leases ≥ {Share((decimal)tier.MinLeaseCompletion * 100)}");
        return lines.Count > 0 ? string.Join('\n', lines) : "none";
    }

    private static string Percent(decimal percent) => Invariant($"{percent:0.0##} %");

    private static string Share(decimal percent) => Invariant($"{percent:0.##} %");

    private static string Duration(double seconds) => seconds switch
    {
        < 60 => Invariant($"{seconds:0.#} s"),
        < 3600 => Invariant($"{seconds / 60:0.#} min"),
        _ => Invariant($"{seconds / 3600:0.#} h"),
    };

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
