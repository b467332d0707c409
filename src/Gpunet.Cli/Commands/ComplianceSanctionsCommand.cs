using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance sanctions</c>: the sanctions list in force.</summary>
internal sealed class ComplianceSanctionsCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var s = await client.GetAsync<SanctionsView>("/api/v1/compliance/sanctions", cancellationToken);
        if (settings.Json)
        {
            Render.Json(s);
            return 0;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Version[/]", Markup.Escape(s.Version));
        grid.AddRow("Entries", $"{s.Entries} ({s.Names} names with aliases)");
        grid.AddRow("Source", Markup.Escape(s.Source));
        grid.AddRow("Imported", s.ImportedAt is null ? "[grey]never: the built-in sample list[/]" : Markup.Escape($"{ComplianceRender.At(s.ImportedAt)} by {s.ImportedBy}"));
        AnsiConsole.Write(grid);
        return 0;
    }
}
