using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet cancel LEASE</c>: kills the workload and releases the GPUs.</summary>
internal sealed class CancelCommand : AsyncCommand<CancelCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandArgument(0, "<LEASE>")]
        [Description("Lease id (lease-…)")]
        public string Lease { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var lease = await client.PostAsync<LeaseView>($"/api/v1/leases/{Uri.EscapeDataString(settings.Lease)}/cancel", null, cancellationToken);
        if (settings.Json)
            Render.Json(lease);
        else
            AnsiConsole.MarkupLine($"{Markup.Escape(lease.Id)} [grey]{Markup.Escape(lease.State)} ({Markup.Escape(lease.EndReason ?? "")}) at {lease.EndedAt:u}[/]");
        return 0;
    }
}
