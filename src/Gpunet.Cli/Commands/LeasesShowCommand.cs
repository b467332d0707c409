using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet leases show LEASE [--json]</c>: one lease, where to connect to it (a session or service), and its
/// history.</summary>
internal sealed class LeasesShowCommand : AsyncCommand<LeasesShowCommand.Settings>
{
    public sealed class Settings : LeasesCommand.Settings
    {
        [CommandArgument(0, "<LEASE>")]
        [Description("Lease id (lease-…)")]
        public string Lease { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var lease = await client.GetAsync<LeaseView>($"/api/v1/leases/{Uri.EscapeDataString(settings.Lease)}", cancellationToken);
        if (settings.Json)
        {
            Render.Json(lease);
            return 0;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Lease[/]", Markup.Escape($"{lease.Id} (order {lease.OrderId}, attempt {lease.Attempt})"));
        grid.AddRow("State", $"{Markup.Escape(lease.State)} [grey]{Markup.Escape(lease.EndReason is null ? lease.StateReason : $"{lease.EndReason}: {lease.StateReason}")}[/]");
        grid.AddRow("Host", Markup.Escape(lease.HostId is null ? "-" : $"{lease.HostId} GPU {string.Join(',', lease.GpuIndices)} {lease.GpuModel}"));
        grid.AddRow("Price", lease.PriceUsdPerGpuHour is { } p ? Render.Usd(p) + " per GPU-hour" : "-");
        grid.AddRow("Runs", Markup.Escape($"{lease.Runtime}: {string.Join(' ', lease.Command)}"));
        if (lease.Endpoint is { } endpoint)
            grid.AddRow("Endpoint", Markup.Escape(endpoint)); // where the customer connects to the session or service
        if (lease.ExitCode is { } code)
            grid.AddRow("Exit code", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(grid);
        var history = new Table().RoundedBorder().Title("History").AddColumns("At (UTC)", "State", "Host", "Why");
        foreach (var e in lease.History ?? [])
            history.AddRow($"{e.At:u}", Markup.Escape(e.State), Markup.Escape(e.HostId ?? "-"), Markup.Escape(e.Reason));
        if (lease.HistoryUnlisted is { } earlier)
            history.Caption($"the latest steps; {earlier:N0} earlier ones not shown");
        AnsiConsole.Write(history);
        return 0;
    }
}
