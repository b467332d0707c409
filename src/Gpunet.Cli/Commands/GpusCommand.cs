using System.ComponentModel;
using Gpunet.Cli.Client;
using Gpunet.Core.Gpus;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet gpus [QUERY] [--json]</c>: search free GPUs.</summary>
internal sealed class GpusCommand : AsyncCommand<GpusCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandArgument(0, "[QUERY]")]
        [Description("e.g. 'model=H100 vram>=80 count>=8 country in [[DE,FR]] price<=2.5' (quote it: > is a shell redirect)")]
        public string[] Query { get; init; } = [];
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var q = string.Join(' ', settings.Query);
        var offers = await client.GetAsync<List<GpuOffer>>("/api/v1/gpus?q=" + Uri.EscapeDataString(q), cancellationToken);
        if (settings.Json)
        {
            Render.Json(offers);
            return 0;
        }

        var table = new Table().RoundedBorder()
            .Title($"[bold]{offers.Sum(o => o.Count)} free GPUs[/] on {offers.Select(o => o.HostId).Distinct().Count()} hosts{(q.Length > 0 ? " matching " + Markup.Escape(q) : "")}")
            .AddColumn(new TableColumn("Host").NoWrap()).AddColumn(new TableColumn("Model").NoWrap())
            .AddColumns("Free", "VRAM", "CC", "Where", "$/GPU-h");
        foreach (var o in offers)
        {
            table.AddRow(Markup.Escape(o.HostId), Markup.Escape(o.Model), o.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{o.VramGb} GB", o.ComputeCapability.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape($"{o.Country} {o.Region}"), Render.Usd(o.PriceUsdPerGpuHour));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
