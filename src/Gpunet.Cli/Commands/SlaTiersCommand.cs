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

        var t = new Table().RoundedBorder().AddColumns("tier", "availability", "max replacement", "session latency", "credits", "host requirements");
        foreach (var tier in tiers)
        {
            t.AddRow(Markup.Escape(tier.Name), Percent(tier.AvailabilityPercent), Duration(tier.MaxReplacementSeconds),
                Invariant($"≤ {tier.SessionLatencyMs:0.#} ms"), Markup.Escape(Credits(tier)), Markup.Escape(Requirements(tier)));
        }

        AnsiConsole.Write(t);
        AnsiConsole.MarkupLine("[grey]availability is per calendar month; credits are a share of the period's fees, paid at each epoch without a claim · gpunet rent --sla TIER[/]");
        return 0;
    }

    /// <summary>The credit schedule in words: <c>&lt; 99.5 %: 10 % · &lt; 99.0 %: 30 %</c>, and the replacement credit.</summary>
    internal static string Credits(SlaTierView tier)
    {
        var steps = string.Join(" · ", tier.Credits.Select(c => $"< {Percent(c.BelowPercent)}: {Share(c.CreditPercent)}"));
        if (tier.ReplacementCreditPercent > 0)
            steps += (steps.Length > 0 ? " · " : "") + $"late replacement: {Share(tier.ReplacementCreditPercent)}";
        return steps.Length > 0 ? steps : "none";
    }

    /// <summary>What a host's record needs: <c>uptime ≥ 99.9 % · checks ≥ 99 % · completion ≥ 98 %</c>, or <c>none</c>.</summary>
    internal static string Requirements(SlaTierView tier)
    {
        var parts = new List<string>(3);
        if (tier.MinHostUptime > 0)
            parts.Add($"uptime ≥ {Percent((decimal)tier.MinHostUptime * 100)}");
        if (tier.MinCheckPassRate > 0)
            parts.Add($"checks ≥ {Percent((decimal)tier.MinCheckPassRate * 100)}");
        if (tier.MinLeaseCompletion > 0)
            parts.Add($"completion ≥ {Percent((decimal)tier.MinLeaseCompletion * 100)}");
        return parts.Count > 0 ? string.Join(" · ", parts) : "none";
    }

    // Availability as people quote it ("99.0 %"); a credit as a plain share ("10 %").
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
