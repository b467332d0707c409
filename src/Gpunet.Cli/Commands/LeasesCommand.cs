using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet leases [--state S] [--json]</c>: your leases.</summary>
internal sealed class LeasesCommand : AsyncCommand<LeasesCommand.Settings>
{
    public class Settings : ClientSettings
    {
        [CommandOption("--state <STATE>")]
        [Description("Only leases in this state: Pending, Starting, Running, Succeeded, Failed, Cancelled, Expired, HostLost")]
        public string? State { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var leases = await client.GetAsync<List<LeaseView>>(
            "/api/v1/leases" + (settings.State is null ? "" : "?state=" + Uri.EscapeDataString(settings.State)), cancellationToken);
        if (settings.Json)
        {
            Render.Json(leases);
            return 0;
        }

        Print(leases, $"{leases.Count} leases");
        return 0;
    }

    internal static void Print(IReadOnlyList<LeaseView> leases, string title)
    {
        var table = new Table().RoundedBorder().Title($"[bold]{Markup.Escape(title)}[/]");
        table.AddColumn(new TableColumn("Lease").NoWrap());
        table.AddColumn(new TableColumn("State").NoWrap());
        table.AddColumn(new TableColumn("Host").NoWrap());
        table.AddColumn(new TableColumn("GPUs").NoWrap());
        // Where to connect, only when a session or service is listed: most listings are of jobs.
        var endpoints = leases.Any(l => l.Endpoint is not null);
        if (endpoints)
            table.AddColumn(new TableColumn("Endpoint").NoWrap());
        table.AddColumns("$/GPU-h", "Why");
        foreach (var l in leases)
        {
            var gpus = l.GpuIndices.Count == 0 ? "-" : string.Join(',', l.GpuIndices) + (l.GpuMilli is > 0 and < 1000 ? $" ({l.GpuMilli / 10.0:0.#}%)" : "");
            var reason = l.EndReason is null ? l.StateReason : $"{l.EndReason}: {l.StateReason}";
            string[] cells = [Markup.Escape(l.Id), State(l.State), Markup.Escape(l.HostId ?? "-"), Markup.Escape(gpus)];
            table.AddRow([.. cells, .. endpoints ? [Markup.Escape(l.Endpoint ?? "-")] : Array.Empty<string>(),
                l.PriceUsdPerGpuHour is { } p ? Render.Usd(p) : "-", $"[grey]{Markup.Escape(reason)}[/]"]);
        }

        AnsiConsole.Write(table);
    }

    private static string State(string state) => state switch
    {
        "Pending" => "[blue]Pending[/]",
        "Starting" => "[yellow]Starting[/]",
        "Running" => "[green]Running[/]",
        "Succeeded" => "[green]Succeeded[/]",
        "Failed" or "HostLost" => $"[red]{state}[/]",
        _ => $"[grey]{Markup.Escape(state)}[/]",
    };
}
