using System.ComponentModel;
using System.Globalization;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet audit list</c>: compliance decisions, newest first (compliance officers).</summary>
internal sealed class AuditListCommand : AsyncCommand<AuditListCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--subject <SUBJECT>")]
        [Description("Only decisions about this subject: an address, a host (host-…) or a lease (lease-…)")]
        public string? Subject { get; init; }

        [CommandOption("--limit <N>")]
        [Description("Entries to show, 1 to 10000. Default 100")]
        public int Limit { get; init; } = 100;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 10_000 ? ValidationResult.Error("--limit: 1 to 10000") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var query = $"?limit={settings.Limit}" + (settings.Subject is null ? "" : "&subject=" + Uri.EscapeDataString(settings.Subject));
        var entries = await client.GetAsync<List<AuditEntryView>>("/api/v1/audit" + query, cancellationToken);
        if (settings.Json)
        {
            Render.Json(entries);
            return 0;
        }

        if (entries.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no decisions recorded[/]");
            return 0;
        }

        var t = new Table().RoundedBorder();
        t.AddColumn("seq");
        t.AddColumn(new TableColumn("at (UTC)").NoWrap());
        t.AddColumns("subject", "rule", "outcome", "decided by", "list / policy");
        foreach (var e in entries)
        {
            t.AddRow(e.Sequence.ToString(CultureInfo.InvariantCulture), $"{e.At.UtcDateTime:MM-dd HH:mm:ss}", Markup.Escape(e.Subject), Markup.Escape(e.Rule),
                Markup.Escape(e.Outcome), Markup.Escape(e.DecidedBy), Markup.Escape($"{e.ListVersion ?? "-"} / {e.PolicyVersion ?? "-"}"));
        }

        AnsiConsole.Write(t);
        return 0;
    }
}
