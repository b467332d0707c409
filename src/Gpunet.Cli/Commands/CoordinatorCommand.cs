using System.ComponentModel;
using Gpunet.Coordinator;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet coordinator [--db ...] [--urls ...]</c>: runs a coordinator until Ctrl+C.</summary>
internal sealed class CoordinatorCommand : AsyncCommand<CoordinatorCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--db <DB>")]
        [Description("SQLite file, or a PostgreSQL connection string (\"Host=...;Database=...;Username=...;Password=...\"); default DATA/gpunet.db")]
        public string? Db { get; init; }

        [CommandOption("--urls <URLS>")]
        [Description("Listen URLs, separated by ';'. Default http://127.0.0.1:7070")]
        public string Urls { get; init; } = "http://127.0.0.1:7070";

        [CommandOption("--agent-urls <URLS>")]
        [Description("Listen URLs for agents' gRPC streams (cleartext HTTP/2). Default: the next port after --urls")]
        public string? AgentUrls { get; init; }

        [CommandOption("--public-agent-url <URL>")]
        [Description("Where agents reach the agent port from outside (behind NAT or a balancer), named to them by GET /api/v1/network. Default: the bound agent URL")]
        public string? PublicAgentUrl { get; init; }

        [CommandOption("--data <DIR>")]
        [Description("Data directory (SQLite file, token keys). Default ./gpunet-data")]
        public string Data { get; init; } = "gpunet-data";

        [CommandOption("--network <ID>")]
        [Description("Network id inside every signed message. Default gpunet-local")]
        public string Network { get; init; } = "gpunet-local";

        [CommandOption("--admin-token <TOKEN>")]
        [Description("Operator token (gpa_…); default $GPUNET_ADMIN_TOKEN, else generated and printed")]
        public string? AdminToken { get; init; }

        [CommandOption("--trusted-proxy <IP>")]
        [Description("A reverse proxy whose X-Forwarded-For is believed: an address or a CIDR network such as 10.0.0.0/8 (repeatable)")]
        public string[] TrustedProxies { get; init; } = [];

        [CommandOption("--cors-origin <URL>")]
        [Description("A web origin (https://app.example.com) whose pages may call the REST API from a browser (repeatable). Default none")]
        public string[] CorsOrigins { get; init; } = [];

        [CommandOption("--heartbeat <SECONDS>")]
        [Description("Agents' heartbeat interval. Default 10")]
        public double Heartbeat { get; init; } = 10;

        [CommandOption("--offline-after <SECONDS>")]
        [Description("Silence before a host is Offline. Default 6 heartbeat intervals")]
        public double? OfflineAfter { get; init; }

        [CommandOption("--epoch <SECONDS>")]
        [Description("Epoch length: fees are settled and rewards paid once per epoch. Default 86400 (daily, at 00:00 UTC)")]
        public double Epoch { get; init; } = 86_400;

        [CommandOption("--no-settlement")]
        [Description("Do not settle epochs here (another coordinator of the network does)")]
        public bool NoSettlement { get; init; }

        [CommandOption("--faucet <TOKENS>")]
        [Description("Let any participant take up to this many tokens per request (test networks). Default 0: no faucet")]
        public decimal Faucet { get; init; }

        public override ValidationResult Validate() =>
            Epoch is < 1 or > 31 * 86_400 ? ValidationResult.Error("--epoch: 1 second to 31 days")
            : Faucet < 0 ? ValidationResult.Error("--faucet: not negative")
            : Heartbeat is < 0.1 or > 3600 ? ValidationResult.Error("--heartbeat: between 0.1 and 3600 seconds")
            : OfflineAfter is { } o && o <= Heartbeat * 3 ? ValidationResult.Error("--offline-after: must exceed 3 heartbeat intervals")
            : ValidationResult.Success();
    }

    /// <summary>How often a coordinator with this heartbeat interval stores when each host was heard: half an interval,
    /// as the defaults have it (5 s for 10 s), at most 5 s. A crash loses the billing of what was heard after the last
    /// write, which must stay under one interval (<c>gpunet bench kills</c> measures it).</summary>
    internal static TimeSpan PersistHeardEvery(double heartbeatSeconds) => TimeSpan.FromSeconds(Math.Min(5, heartbeatSeconds / 2));

    /// <summary>How often the host monitor runs: 1 s (the default), or half a heartbeat interval under 2 s, since heard
    /// times are written on its ticks.</summary>
    internal static TimeSpan MonitorInterval(double heartbeatSeconds) => TimeSpan.FromSeconds(Math.Min(1, heartbeatSeconds / 2));

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        using var interrupt = new Interrupt(cancellationToken);
        await using var app = CoordinatorApp.Build(s.Urls, o =>
        {
            o.Store.Database = s.Db;
            o.Store.DataDirectory = s.Data;
            o.Access.NetworkId = s.Network;
            o.Access.AdminToken = s.AdminToken ?? Environment.GetEnvironmentVariable("GPUNET_ADMIN_TOKEN");
            o.Hosts.HeartbeatInterval = TimeSpan.FromSeconds(s.Heartbeat);
            o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(s.OfflineAfter ?? s.Heartbeat * 6);
            o.Hosts.PersistHeardEvery = PersistHeardEvery(s.Heartbeat);
            o.Hosts.MonitorInterval = MonitorInterval(s.Heartbeat);
            o.Metering.UsageLateness = TimeSpan.FromSeconds(Math.Max(600, s.Heartbeat * 3));
            o.Edge.TrustedProxies = [.. s.TrustedProxies];
            if (s.CorsOrigins.Length > 0)
                o.Edge.CorsOrigins = [.. s.CorsOrigins];
            o.Edge.PublicAgentUrl = s.PublicAgentUrl;
            o.Ledger.EpochLength = TimeSpan.FromSeconds(s.Epoch);
            o.Ledger.SettleEpochs = !s.NoSettlement;
            o.Ledger.FaucetLimit = s.Faucet;
        }, agentUrls: s.AgentUrls);
        await app.StartAsync(interrupt.Token);
        var token = app.Services.GetRequiredService<Gpunet.Coordinator.Auth.AdminToken>().Value;
        var url = app.Services.GetRequiredService<CoordinatorEndpoints>().ApiUrl;
        AnsiConsole.MarkupLineInterpolated($"[bold green]Coordinator[/] for network [bold]{s.Network}[/] listening on {url}");
        AnsiConsole.MarkupLineInterpolated($"  agents (gRPC)  {app.Services.GetRequiredService<CoordinatorEndpoints>().AgentUrl}");
        AnsiConsole.MarkupLineInterpolated($"  API reference  {url}/reference     OpenAPI {url}/openapi/v1.json");
        AnsiConsole.MarkupLineInterpolated($"  metrics        {url}/metrics       health  {url}/healthz");
        AnsiConsole.MarkupLineInterpolated($"  admin token    {token}");
        try
        {
            await Task.Delay(Timeout.Infinite, interrupt.Token);
        }
        catch (OperationCanceledException)
        {
        }

        AnsiConsole.MarkupLine("[grey]stopping…[/]");
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
