using System.Text.Json;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet kyc show ID</c>: one submission, every field, and the document as submitted.</summary>
internal sealed class KycShowCommand : AsyncCommand<KycSubmissionSettings>
{
    private static readonly JsonSerializerOptions Indented = new(CoordinatorClient.Json) { WriteIndented = true };

    public override async Task<int> ExecuteAsync(CommandContext context, KycSubmissionSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var s = await client.GetAsync<KycSubmissionView>($"/api/v1/kyc/submissions/{Uri.EscapeDataString(settings.Id)}", cancellationToken);
        if (settings.Json)
        {
            Render.Json(s);
            return 0;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Submission[/]", Markup.Escape(s.Id));
        grid.AddRow("Address", Markup.Escape(s.Address));
        grid.AddRow("Kind", Markup.Escape(s.Kind));
        grid.AddRow("Legal name", Markup.Escape(s.LegalName));
        grid.AddRow("Country", Markup.Escape(s.Country));
        grid.AddRow("Parent country", Markup.Escape(s.ParentCountry ?? "-"));
        grid.AddRow("State", ComplianceRender.Kyc(s.State) + (s.Final ? " [red](final)[/]" : ""));
        grid.AddRow("Reason", Markup.Escape(s.Reason ?? "-"));
        grid.AddRow("Submitted", ComplianceRender.At(s.SubmittedAt));
        grid.AddRow("Decided", Markup.Escape(s.DecidedAt is null ? "-" : $"{ComplianceRender.At(s.DecidedAt)} by {s.DecidedBy}"));
        grid.AddRow("Expires", ComplianceRender.At(s.ExpiresAt));
        grid.AddRow("Provider", Markup.Escape(s.Provider));
        grid.AddRow("Screening", Markup.Escape($"{s.Screening}: {s.ScreeningSummary} (list {s.ListVersion})"));
        AnsiConsole.Write(grid);
        AnsiConsole.MarkupLine("[bold]Document[/]");
        Console.WriteLine(s.Document is { } d ? JsonSerializer.Serialize(d, Indented) : "(not included)");
        return 0;
    }
}
