using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet checkers</c>: checker licences, active and revoked.</summary>
internal sealed class CheckersCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var licences = await client.GetAsync<List<CheckerLicenceView>>("/api/v1/checkers", cancellationToken);
        if (settings.Json)
        {
            Render.Json(licences);
            return 0;
        }

        if (licences.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no checker licences; the operator grants one with gpunet checkers grant ADDRESS[/]");
            return 0;
        }

        var t = new Table().RoundedBorder().AddColumns("address", "state", "granted (UTC)", "revoked (UTC)", "reason", "this week");
        foreach (var l in licences)
            Row(t, l);
        AnsiConsole.Write(t);
        return 0;
    }

    /// <summary>One licence as a table row.</summary>
    internal static void Row(Table t, CheckerLicenceView l) => t.AddRow(
        Markup.Escape(l.Address), l.State == "active" ? "[green]active[/]" : "[red]revoked[/]", $"{l.GrantedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}",
        l.RevokedAt is { } r ? $"{r.UtcDateTime:yyyy-MM-dd HH:mm:ss}" : "", Markup.Escape(l.Reason ?? ""), Markup.Escape(Week(l.Standing)));

    // "1 incorrect, suspended; capacity: 6 fails of 6 passed checks, 5 operators, held back": the fails are of hosts the
    // others passed.
    private static string Week(CheckerStandingView? s)
    {
        if (s is null)
            return "";
        var parts = new List<string> { $"{s.IncorrectThisWeek} incorrect{(s.Suspended ? ", suspended" : "")}" };
        parts.AddRange(s.FailDissents.Where(d => d.FailDissents > 0).Select(d =>
            $"{d.Kind}: {d.FailDissents} fails of {d.Reports} passed checks, {d.Operators} operators{(d.HeldBack ? ", held back" : "")}"));
        return string.Join("; ", parts);
    }
}
