using System.ComponentModel;
using Gpunet.Cli.Client;
using Gpunet.Core.Compliance;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet kyc list</c>: KYC/KYB submissions, newest first (compliance officers).</summary>
internal sealed class KycListCommand : AsyncCommand<KycListCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--state <STATE>")]
        [Description("Only submissions in this state: pending, approved, rejected, expired, unverified")]
        public string? State { get; init; }

        [CommandOption("--limit <N>")]
        [Description("Submissions to show, 1 to 1000. Default 100")]
        public int Limit { get; init; } = 100;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 1000 ? ValidationResult.Error("--limit: 1 to 1000")
            : State is not null && (!Enum.TryParse<KycState>(State, ignoreCase: true, out _) || int.TryParse(State, out _))
                ? ValidationResult.Error($"--state: one of {string.Join(", ", Enum.GetNames<KycState>().Select(n => n.ToLowerInvariant()))}")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var query = $"?limit={settings.Limit}" + (settings.State is null ? "" : "&state=" + Uri.EscapeDataString(settings.State.ToLowerInvariant()));
        var rows = await client.GetAsync<List<KycSubmissionView>>("/api/v1/kyc/submissions" + query, cancellationToken);
        if (settings.Json)
        {
            Render.Json(rows);
            return 0;
        }

        if (rows.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no submissions[/]");
            return 0;
        }

        var t = new Table().RoundedBorder();
        // Nine columns wrap on an 80-column terminal; ids, kinds and states stay whole, --json and kyc show have the rest.
        t.AddColumn(new TableColumn("id").NoWrap());
        t.AddColumn("address");
        t.AddColumn(new TableColumn("kind").NoWrap());
        t.AddColumns("legal name", "country", "parent");
        t.AddColumn(new TableColumn("state").NoWrap());
        t.AddColumns("screening", "submitted (UTC)");
        foreach (var s in rows)
        {
            t.AddRow(Markup.Escape(s.Id), Markup.Escape(ComplianceRender.ShortAddress(s.Address)), Markup.Escape(s.Kind), Markup.Escape(s.LegalName),
                Markup.Escape(s.Country), Markup.Escape(s.ParentCountry ?? "-"), ComplianceRender.Kyc(s.State), Markup.Escape(s.Screening),
                $"{s.SubmittedAt.UtcDateTime:MM-dd HH:mm}");
        }

        AnsiConsole.Write(t);
        return 0;
    }
}
