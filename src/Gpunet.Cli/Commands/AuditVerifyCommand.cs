using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet audit verify</c>: the coordinator recomputes the audit log's hash chain; exit code 1 when an entry
/// was altered or removed.</summary>
internal sealed class AuditVerifyCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var v = await client.GetAsync<AuditVerifyView>("/api/v1/audit/verify", cancellationToken);
        if (settings.Json)
        {
            Render.Json(v);
        }
        else if (v.Valid)
        {
            AnsiConsole.MarkupLine($"[green]valid[/]: {v.Entries} entries");
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]NOT valid[/]: first altered or removed entry: {v.FirstInvalidSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}");
            if (v.Problem is not null)
                AnsiConsole.MarkupLine($"[red]problem:[/] {Markup.Escape(v.Problem)}");
        }

        return v.Valid ? 0 : 1;
    }
}
