using Gpunet.Cli.Client;
using Gpunet.Core.Ledger;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet ledger verify</c>: the coordinator audits its stored ledger; exit code 1 when it does not balance.</summary>
internal sealed class LedgerVerifyCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var audit = await client.GetAsync<LedgerAuditResult>("/api/v1/ledger/verify", cancellationToken);
        if (settings.Json)
        {
            Render.Json(audit);
        }
        else
        {
            AnsiConsole.MarkupLine(audit.Balanced ? "[green]balanced[/]" : "[red]NOT balanced[/]");
            AnsiConsole.MarkupLine($"total supply     {audit.TotalSupply}");
            AnsiConsole.MarkupLine($"sum of balances  {audit.SumOfBalances}");
            foreach (var p in audit.Problems)
                AnsiConsole.MarkupLine($"[red]problem:[/] {Markup.Escape(p)}");
            if (audit.ProblemsUnlisted is { } more)
                AnsiConsole.MarkupLine($"[red]and {more:N0} more problems[/]");
        }

        return audit.Balanced ? 0 : 1;
    }
}
