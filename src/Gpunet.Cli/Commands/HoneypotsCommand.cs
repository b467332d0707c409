using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet honeypots</c>: the hosts the network's operator planted, active and retired (the operator only).</summary>
internal sealed class HoneypotsCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var planted = await client.GetAsync<List<PlantedHostView>>("/api/v1/honeypots", cancellationToken);
        if (settings.Json)
        {
            Render.Json(planted);
            return 0;
        }

        if (planted.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no planted hosts; run an agent with --honeypot, then gpunet honeypots plant HOST[/]");
            return 0;
        }

        Print(planted);
        return 0;
    }

    internal static void Print(IEnumerable<PlantedHostView> planted)
    {
        var t = new Table().RoundedBorder().AddColumns("host", "state", "planted (UTC)", "by", "retired (UTC)");
        foreach (var p in planted)
        {
            t.AddRow(Markup.Escape(p.HostId), p.State == "active" ? "[green]active[/]" : "[grey]retired[/]", $"{p.PlantedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}",
                Markup.Escape(p.PlantedBy), p.RetiredAt is { } r ? $"{r.UtcDateTime:yyyy-MM-dd HH:mm:ss}" : "");
        }

        AnsiConsole.Write(t);
    }
}

/// <summary><c>gpunet honeypots plant HOST</c>: the operator plants a registered host whose agent runs with
/// <c>--honeypot</c>.</summary>
internal sealed class HoneypotsPlantCommand : AsyncCommand<HoneypotsPlantCommand.Settings>
{
    public class Settings : ClientSettings
    {
        [CommandArgument(0, "<HOST>")]
        [Description("The planted host's id (host- and 12 hex digits), as gpunet hosts shows it")]
        public string Host { get; init; } = "";

        public override ValidationResult Validate() =>
            !Core.Hosts.HostId.TryParse(Host, out _) ? ValidationResult.Error($"HOST {Host}: a host id is host- and 12 hex digits") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var planted = await client.PostAsync<PlantedHostView>("/api/v1/honeypots", new PlantRequest(settings.Host), cancellationToken);
        Show(settings.Json, planted);
        return 0;
    }

    internal static void Show(bool json, PlantedHostView planted)
    {
        if (json)
            Render.Json(planted);
        else
            HoneypotsCommand.Print([planted]);
    }
}

/// <summary><c>gpunet honeypots retire HOST</c>: its checks from now on are ordinary; its earlier ones are shown as
/// honeypots.</summary>
internal sealed class HoneypotsRetireCommand : AsyncCommand<HoneypotsPlantCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, HoneypotsPlantCommand.Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var retired = await client.PostAsync<PlantedHostView>($"/api/v1/honeypots/{Uri.EscapeDataString(settings.Host)}/retire", null, cancellationToken);
        HoneypotsPlantCommand.Show(settings.Json, retired);
        return 0;
    }
}
