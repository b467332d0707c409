using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet hosts [--json]</c>: every registered host.</summary>
internal sealed class HostsListCommand(TimeProvider? time = null) : AsyncCommand<HostsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, HostsSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var query = new List<string>();
        if (settings.State is not null)
            query.Add("state=" + Uri.EscapeDataString(settings.State));
        if (settings.Country is not null)
            query.Add("country=" + Uri.EscapeDataString(settings.Country));
        var hosts = await client.GetAllAsync<HostView>("/api/v1/hosts" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken);
        if (settings.Json)
        {
            Render.Json(hosts);
            return 0;
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var table = new Table().RoundedBorder().Title($"[bold]{hosts.Count} hosts[/] at {Markup.Escape(client.BaseUri.ToString())}");
        table.AddColumn(new TableColumn("Host").NoWrap());
        table.AddColumn(new TableColumn("State").NoWrap());
        table.AddColumns("Where", "GPUs", "$/GPU-h", "Rep.", "Last heartbeat", "Reason");
        foreach (var h in hosts)
        {
            var gpus = string.Join(", ", h.Gpus.GroupBy(g => g.Model).Select(g => $"{g.Count()}×{g.Key}"));
            table.AddRow(
                Markup.Escape(h.Id),
                h.Paused ? Render.State(h.State) + " [yellow](paused: stake)[/]" : Render.State(h.State),
                Markup.Escape(string.IsNullOrEmpty(h.Region) ? h.Country : $"{h.Country} {h.Region}"),
                Markup.Escape(gpus),
                Render.Usd(h.PriceUsdPerGpuHour),
                h.Reputation.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                Render.Ago(h.LastHeartbeatAt, now),
                $"[grey]{Markup.Escape(h.Paused ? $"staked {h.Staked} of {h.RequiredStake} tokens; {h.StateReason}" : h.StateReason)}[/]");
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
