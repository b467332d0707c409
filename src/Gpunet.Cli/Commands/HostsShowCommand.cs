using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet hosts show HOST [--json]</c>: one host, its GPUs and its lifecycle history.</summary>
internal sealed class HostsShowCommand : AsyncCommand<HostsShowCommand.Settings>
{
    public sealed class Settings : HostsSettings
    {
        [CommandArgument(0, "<HOST>")]
        [Description("Host id (host-…)")]
        public string Host { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var id = Uri.EscapeDataString(settings.Host);
        var host = await client.GetAsync<HostView>($"/api/v1/hosts/{id}", cancellationToken);
        var transitions = await client.GetAsync<List<TransitionView>>($"/api/v1/hosts/{id}/transitions", cancellationToken);
        if (settings.Json)
        {
            Render.Json(new { host, transitions });
            return 0;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Host[/]", Markup.Escape(host.Id));
        grid.AddRow("State", $"{Render.State(host.State)} since {host.StateSince:u} [grey]{Markup.Escape(host.StateReason)}[/]");
        grid.AddRow("Owner", Markup.Escape(host.Address));
        grid.AddRow("Location", Markup.Escape($"{host.Country} {host.Region} ({host.Latitude:0.###}, {host.Longitude:0.###})"));
        if (host.MeasuredLatitude is { } lat && host.MeasuredLongitude is { } lon)
            grid.AddRow("Measured at", $"[yellow]({lat:0.###}, {lon:0.###})[/] [grey]round trips contradict the declared place; latency is ranked from here[/]");
        grid.AddRow("Price", Render.Usd(host.PriceUsdPerGpuHour) + " per GPU-hour");
        grid.AddRow("Reputation", $"{host.Reputation:0.00} [grey](capacity checks, uptime, leases completed; 0.5 with no record)[/]");
        grid.AddRow("Driver", Markup.Escape($"{host.DriverVersion} (CUDA {host.CudaVersion}){(host.Simulated ? ", simulated" : "")}"));
        grid.AddRow("Connected", host.Connected ? "[green]yes[/]" : "[red]no[/]");
        AnsiConsole.Write(grid);

        var gpus = new Table().RoundedBorder().Title("GPUs").AddColumns("#", "Model", "VRAM", "UUID", "Util", "Temp", "Mem used");
        foreach (var g in host.Gpus)
        {
            gpus.AddRow(g.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(g.Model), $"{g.VramGb} GB", Markup.Escape(g.Uuid),
                g.UtilizationPct is { } u ? $"{u}%" : "-", g.TemperatureC is { } t ? $"{t}°C" : "-",
                g.MemoryUsedMib is { } m ? $"{m} MiB" : "-");
        }

        AnsiConsole.Write(gpus);
        var history = new Table().RoundedBorder().Title("Lifecycle").AddColumns("At (UTC)", "From", "To", "Reason");
        foreach (var t in transitions)
            history.AddRow($"{t.At:u}", Render.State(t.From), Render.State(t.To), Markup.Escape(t.Reason));
        AnsiConsole.Write(history);
        return 0;
    }
}
