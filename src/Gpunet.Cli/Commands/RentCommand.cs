using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet rent --gpu H100 --count 1 --max-price 3 -- python train.py</c>: places an order and prints its lease.</summary>
internal sealed class RentCommand : AsyncCommand<RentCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--gpu <MODELS>")]
        [Description("Acceptable GPU models or families, comma-separated (H100 = every H100 variant); default any")]
        public string? Gpu { get; init; }

        [CommandOption("--count <N>")]
        [Description("GPUs per host (default 1)")]
        public int Count { get; init; } = 1;

        [CommandOption("--gpu-milli <M>")]
        [Description("Share of one GPU in thousandths, for a slice of a GPU (with --count 1); default 1000 (whole)")]
        public int GpuMilli { get; init; } = 1000;

        [CommandOption("--hosts <H>")]
        [Description("Hosts placed together, all or nothing (default 1)")]
        public int Hosts { get; init; } = 1;

        [CommandOption("--cpu <MILLICORES>")]
        [Description("CPU per host in millicores (1000 = one core); the workload is limited to it")]
        public int Cpu { get; init; }

        [CommandOption("--memory <MIB>")]
        [Description("Memory per host in MiB; the workload is killed above it")]
        public long Memory { get; init; }

        [CommandOption("--hours <X>")]
        [Description("How long it may run (its term for --type reserve); default until it ends or is cancelled")]
        public double? Hours { get; init; }

        [CommandOption("--max-price <USD>")]
        [Description("The most you pay, USD per GPU-hour (required)")]
        public decimal? MaxPrice { get; init; }

        [CommandOption("--country <CC>")]
        [Description("Countries the hosts may be in, comma-separated ISO 3166-1 codes")]
        public string? Country { get; init; }

        [CommandOption("--not-country <CC>")]
        [Description("Countries the hosts may not be in")]
        public string? NotCountry { get; init; }

        [CommandOption("--residency <ZONE>")]
        [Description("A data-residency zone of the compliance policy (e.g. EU): hosts outside it are never matched")]
        public string? Residency { get; init; }

        [CommandOption("--region <REGIONS>")]
        [Description("Regions the hosts may be in (their declared state or province, e.g. Hesse), comma-separated")]
        public string? Region { get; init; }

        [CommandOption("--not-region <REGIONS>")]
        [Description("Regions the hosts may not be in")]
        public string? NotRegion { get; init; }

        [CommandOption("--host <HOSTID>")]
        [Description("Run on this host only")]
        public string? Host { get; init; }

        [CommandOption("--restart <POLICY>")]
        [Description("never (default) or on-host-loss: placed again on another host if its host goes offline")]
        public string Restart { get; init; } = "never";

        [CommandOption("--runtime <RUNTIME>")]
        [Description("process (default) or docker (the command's first word is the image)")]
        public string Runtime { get; init; } = "process";

        [CommandOption("--type <TYPE>")]
        [Description("on-demand (default, metered) or reserve (a fixed term: needs --hours)")]
        public string Type { get; init; } = "on-demand";

        [CommandOption("--kind <KIND>")]
        [Description("job (default), service (needs --port) or session (interactive, at most 24 h)")]
        public string Kind { get; init; } = "job";

        [CommandOption("--port <PORT>")]
        [Description("The port a service exposes")]
        public int? Port { get; init; }

        [CommandOption("--sla <TIER>")]
        [Description("The SLA tier (gpunet sla tiers lists them): only hosts whose record qualifies are used; default standard")]
        public string? Sla { get; init; }

        [CommandOption("--ranking <RANKING>")]
        [Description("balanced (default), lowest-fee or best-experience")]
        public string Ranking { get; init; } = "balanced";

        [CommandOption("--queue-timeout <MINUTES>")]
        [Description("How long the order may wait for capacity (default 60)")]
        public double QueueTimeout { get; init; } = 60;

        [CommandOption("--env <NAME=VALUE>")]
        [Description("An environment variable for the workload (repeatable)")]
        public string[] Env { get; init; } = [];

        [CommandOption("--wait")]
        [Description("Wait until the lease runs or ends")]
        public bool Wait { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in settings.Env)
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new CliException($"--env: '{e}' is not NAME=VALUE");
            environment[e[..eq]] = e[(eq + 1)..];
        }

        var request = new OrderRequest
        {
            Gpu = List(settings.Gpu),
            Count = settings.Count,
            GpuMilli = settings.GpuMilli,
            Hosts = settings.Hosts,
            Cpu = settings.Cpu,
            MemoryMib = settings.Memory,
            Hours = settings.Hours,
            MaxPrice = settings.MaxPrice ?? 0,
            Countries = List(settings.Country),
            NotCountries = List(settings.NotCountry),
            Residency = settings.Residency,
            Regions = List(settings.Region),
            NotRegions = List(settings.NotRegion),
            Host = settings.Host,
            Restart = settings.Restart,
            Runtime = settings.Runtime,
            Type = settings.Type,
            Kind = settings.Kind,
            Port = settings.Port,
            Ranking = settings.Ranking,
            QueueTimeoutMinutes = settings.QueueTimeout,
            Environment = environment.Count == 0 ? null : environment,
            Command = [.. context.Remaining.Raw],
        };
        if (settings.Sla is { } sla)
            request = request with { SlaTier = sla };
        if (settings.MaxPrice is null)
            throw new CliException("--max-price: the most you pay per GPU-hour, in USD, is required (e.g. --max-price 3)");

        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var order = await client.PostAsync<OrderView>("/api/v1/orders", request, cancellationToken);
        var leases = order.Leases;
        if (settings.Wait)
        {
            leases = settings.Json
                ? await WaitAsync(client, leases, cancellationToken)
                : await AnsiConsole.Status().StartAsync($"Waiting for {order.LeaseId} ({order.State}: {Markup.Escape(order.StateReason)})",
                    _ => WaitAsync(client, leases, cancellationToken));
            order = order with { State = leases[0].State, StateReason = leases[0].StateReason, Leases = leases };
        }

        if (settings.Json)
        {
            Render.Json(order);
            return 0;
        }

        LeasesCommand.Print(leases, $"Order {order.OrderId}");
        foreach (var l in leases.Where(l => l.Endpoint is not null))
            AnsiConsole.MarkupLineInterpolated($"[green]Connect to[/] {l.Endpoint}{(leases.Count > 1 ? $" ({l.Id})" : "")}");
        if (order.State == "Pending")
            AnsiConsole.MarkupLine($"[blue]Queued:[/] {Markup.Escape(order.StateReason)}; it is placed as capacity appears.");
        AnsiConsole.MarkupLine($"[grey]gpunet logs {order.LeaseId} --follow · gpunet cancel {order.LeaseId}[/]");
        return 0;
    }

    /// <summary>Polls until every lease runs or has ended.</summary>
    private static async Task<IReadOnlyList<LeaseView>> WaitAsync(CoordinatorClient client, IReadOnlyList<LeaseView> leases, CancellationToken ct)
    {
        while (leases.Any(l => l.State is "Pending" or "Starting"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            var fresh = new List<LeaseView>(leases.Count);
            foreach (var l in leases)
                fresh.Add(await client.GetAsync<LeaseView>($"/api/v1/leases/{l.Id}", ct));
            leases = fresh;
        }

        return leases;
    }

    private static string[] List(string? csv) =>
        csv is null ? [] : [.. csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
