using System.ComponentModel;
using System.Globalization;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet checks [ID]</c>: checks of hosts, newest first; with an id, one check with every signed report.</summary>
internal sealed class ChecksCommand : AsyncCommand<ChecksCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandArgument(0, "[ID]")]
        [Description("One check (chk_…): its assignment, every signed report, the majority and the consequence")]
        public string? Id { get; init; }

        [CommandOption("--host <ID>")]
        [Description("Only checks of this host (host-…)")]
        public string? Host { get; init; }

        [CommandOption("--checker <ADDRESS>")]
        [Description("Only checks assigned to this checker")]
        public string? Checker { get; init; }

        [CommandOption("--kind <KIND>")]
        [Description("Only liveness, service or capacity checks")]
        public string? Kind { get; init; }

        [CommandOption("--limit <N>")]
        [Description("Checks to show, 1 to 500. Default 50")]
        public int Limit { get; init; } = 50;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 500 ? ValidationResult.Error("--limit: 1 to 500")
            : Kind is not (null or "liveness" or "service" or "capacity") ? ValidationResult.Error("--kind: liveness, service or capacity")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        if (settings.Id is { } id)
        {
            var check = await client.GetAsync<CheckView>($"/api/v1/checks/{Uri.EscapeDataString(id)}", cancellationToken);
            if (settings.Json)
                Render.Json(check);
            else
                Show(check);
            return 0;
        }

        var query = $"?limit={settings.Limit}"
            + (settings.Host is null ? "" : "&host=" + Uri.EscapeDataString(settings.Host))
            + (settings.Checker is null ? "" : "&checker=" + Uri.EscapeDataString(settings.Checker))
            + (settings.Kind is null ? "" : "&kind=" + settings.Kind);
        var checks = await client.GetAsync<List<CheckView>>("/api/v1/checks" + query, cancellationToken);
        if (settings.Json)
        {
            Render.Json(checks);
            return 0;
        }

        if (checks.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no checks yet: hosts are checked once licensed checkers are connected (gpunet checker)[/]");
            return 0;
        }

        var t = new Table().RoundedBorder().AddColumns("check", "issued (UTC)", "host", "kind", "outcome", "reports", "consequence");
        foreach (var c in checks)
        {
            t.AddRow(Markup.Escape(c.Id), $"{c.IssuedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}", Markup.Escape(c.Honeypot ? c.HostId + " (honeypot)" : c.HostId),
                c.Kind, Outcome(c.Outcome), Sealed(c) ? "sealed until decided"
                    : string.Create(CultureInfo.InvariantCulture, $"{c.Reports.Count(r => r.Passed)} pass, {c.Reports.Count(r => !r.Passed)} fail of {c.Checkers.Count}"),
                Markup.Escape(c.Consequence));
        }

        AnsiConsole.Write(t);
        return 0;
    }

    // A check still being decided shows no reports to anyone but the operator (the API seals it).
    private static bool Sealed(CheckView c) => c.Reports.Count == 0 && c.Outcome is "pending" or "escalated";

    private static void Show(CheckView c)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(c.Id)}[/]: {c.Kind} check of {Markup.Escape(c.HostId)}{(c.Honeypot ? " [yellow](a planted honeypot)[/]" : "")} operated by {Markup.Escape(c.HostOperator)}");
        AnsiConsole.MarkupLine($"issued {c.IssuedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, deadline {c.Deadline.UtcDateTime:HH:mm:ss}, assigned to {Markup.Escape(string.Join(", ", c.Checkers))}");
        AnsiConsole.MarkupLine($"outcome: {Outcome(c.Outcome)}{(c.Consequence.Length > 0 ? " — " + Markup.Escape(c.Consequence) : "")}");
        if (c.EscalatedTo is { } to)
            AnsiConsole.MarkupLine($"split vote: escalated to the second panel of [bold]{Markup.Escape(to)}[/], where these reports count too");
        if (c.EscalatedFrom is { } from)
            AnsiConsole.MarkupLine($"second panel of [bold]{Markup.Escape(from)}[/] (a split vote): decided over both panels' reports");
        if (c.Task is { } task)
            AnsiConsole.MarkupLine($"task: [grey]{Markup.Escape(task)}[/]");
        if (Sealed(c))
        {
            AnsiConsole.MarkupLine("[grey]reports: sealed until the check is decided (only the network's operator sees them before)[/]");
            return;
        }

        var t = new Table().RoundedBorder().AddColumns("checker", "verdict", "round trip", "GPUs", "reason", "agreed");
        foreach (var r in c.Reports)
        {
            t.AddRow(Markup.Escape(r.Checker), r.Passed ? "[green]pass[/]" : "[red]fail[/]",
                r.RoundTripUs > 0 ? string.Create(CultureInfo.InvariantCulture, $"{r.RoundTripUs / 1000.0:0.###} ms") : "-",
                Markup.Escape(string.Join(" ", r.Gpus.Select(g => string.Create(CultureInfo.InvariantCulture,
                    $"#{g.Index} {(g.Passed ? "ok" : "FAIL")} {g.AnsweredUs / 1000.0:0.#}/{g.ExpectedUs / 1000.0:0.#} ms{(g.ProductCorrect ? "" : " wrong product")}")))),
                Markup.Escape(r.Reason), r.Correct switch
                {
                    true => "yes",
                    false => "[red]no (marked incorrect)[/]",
                    // A decided check's dissent that could be honest: neither right nor wrong (DissentRules).
                    _ when c.Outcome is "passed" or "failed" => "[yellow]no, excused[/]",
                    _ => "-",
                });
        }

        AnsiConsole.Write(t);
        foreach (var r in c.Refusals)
            AnsiConsole.MarkupLine($"[red]refused[/] {r.At.UtcDateTime:HH:mm:ss} {Markup.Escape(r.Checker)}: {Markup.Escape(r.Reason)}");
        AnsiConsole.MarkupLine("[grey]each report's signedText (--json) is what its signature covers: recover the signer to verify it[/]");
    }

    private static string Outcome(string outcome) => outcome switch
    {
        "passed" => "[green]passed[/]",
        "failed" => "[red]failed[/]",
        "undecided" => "[yellow]undecided[/]",
        "escalated" => "[yellow]escalated[/]",
        _ => "[grey]pending[/]",
    };
}
