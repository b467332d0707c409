using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Cli.Devnet;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Compliance;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet devnet [--hosts N] [--port P] [--data DIR] [--coordinators N] [--db CONNECTION]</c>: a whole network
/// on one machine.</summary>
internal sealed class DevnetCommand : AsyncCommand<DevnetCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--hosts <N>")]
        [Description("Simulated host agents. Default 12")]
        public int Hosts { get; init; } = 12;

        [CommandOption("--port <P>")]
        [Description("Coordinator port on 127.0.0.1 (0 picks a free one). Default 7070")]
        public int Port { get; init; } = 7070;

        [CommandOption("--data <DIR>")]
        [Description("Where the devnet keeps its SQLite store and keys. Default $GPUNET_HOME/devnet")]
        public string? Data { get; init; }

        [CommandOption("--heartbeat <SECONDS>")]
        [Description("Heartbeat interval. Default 5")]
        public double Heartbeat { get; init; } = 5;

        [CommandOption("--epoch <SECONDS>")]
        [Description("Epoch length: fees are settled and rewards paid every epoch, so money visibly moves. Default 60")]
        public double Epoch { get; init; } = 60;

        [CommandOption("--checkers <M>")]
        [Description("Licensed checker nodes, each in another country, that verify every host (liveness, capacity at registration). Default 3")]
        public int Checkers { get; init; } = 3;

        [CommandOption("--coordinators <N>")]
        [Description("Coordinators over one store as one network: coordinator i on ports P+2i (REST) and P+2i+1 (agents), the agents and checkers spread across them. Default 1")]
        public int Coordinators { get; init; } = 1;

        [CommandOption("--db <CONNECTION>")]
        [Description("The store every coordinator shares: a SQLite file or a PostgreSQL connection string (\"Host=...;Database=...;Username=...;Password=...\"). Default DATA/gpunet.db")]
        public string? Db { get; init; }

        [CommandOption("--unsafe-process-runtime")]
        [Description("Where bubblewrap cannot sandbox process workloads, run them as this process's user, able to read every devnet key (development only)")]
        public bool UnsafeProcessRuntime { get; init; }

        public override ValidationResult Validate() =>
            Epoch is < 1 or > 86_400 ? ValidationResult.Error("--epoch: between 1 and 86400 seconds")
            : Hosts is < 0 or > 2000 ? ValidationResult.Error("--hosts: between 0 and 2000")
            : Checkers is < 0 or > 25 ? ValidationResult.Error("--checkers: between 0 and 25")
            : Coordinators is < 1 or > 16 ? ValidationResult.Error("--coordinators: between 1 and 16")
            : Port is < 0 || Port + (2 * Coordinators) - 1 > 65535 ? ValidationResult.Error($"--port: between 0 and {65536 - (2 * Coordinators)} for {Coordinators} coordinator(s)")
            : Db is not null && string.IsNullOrWhiteSpace(Db) ? ValidationResult.Error("--db: a SQLite file or a PostgreSQL connection string")
            : Heartbeat is < 0.2 or > 600 ? ValidationResult.Error("--heartbeat: between 0.2 and 600 seconds")
            : ValidationResult.Success();
    }

    /// <summary>The agent settings of a simulated devnet (or benchmark) host.</summary>
    internal static AgentOptions AgentOptionsFor(DevnetSite site, Uri coordinator, string hostname, string? workDirectory = null,
        bool unsafeProcessRuntime = false, IReadOnlyList<Uri>? failoverCoordinators = null) => new()
    {
        FailoverCoordinators = failoverCoordinators ?? [],
        UnsafeProcessRuntime = unsafeProcessRuntime,
        WorkDirectory = workDirectory ?? Path.Combine(Path.GetTempPath(), "gpunet-agent", hostname),
        Coordinator = coordinator,
        Simulate = [site.Gpus],
        Country = site.Country,
        Region = site.Region,
        Latitude = site.Latitude,
        Longitude = site.Longitude,
        PublicIp = site.PublicIp,
        PriceUsdPerGpuHour = site.PriceUsdPerGpuHour,
        Hostname = hostname,
        // Checkers probe the agent where it connects from: this machine.
        ProbeHost = "127.0.0.1",
        // Usage is reported every 10 s so that each minute's settlement shows what ran.
        UsageInterval = TimeSpan.FromSeconds(10),
    };

    /// <summary>Tokens the devnet's customer starts with, and the most the faucet gives per request.</summary>
    private const decimal CustomerFunds = 10_000;

    /// <summary>Verification as a devnet runs it: every checker and host shares this machine.</summary>
    internal static void ShareOneMachine(VerificationOptions o)
    {
        // Round trips say nothing about where they are.
        o.LocationChecks = false;
        // ... and they are well under a millisecond: 2 s of compute tells cards apart as well as the production 10 s
        // (sized for checkers half the earth away), and keeps a devnet's checks short.
        o.CapacityComputeTime = TimeSpan.FromSeconds(2);
        // ... but every process shares this machine's cores, so its scheduler, not the card, decides the last few hundred
        // milliseconds of an answer: with 3 busy loops on 2 cores honest simulated hosts answered 2 s checks up to 310 ms
        // late (the production 8 % is 160 ms), and on CI's loaded machine up to 574 ms, and were held, then slashed. Half
        // the compute covers a starved machine; a card claiming a model 3× its speed (the cheat the banner shows: an
        // RTX 4090 as an H100) still answers seconds late.
        o.CapacityCardBand = 0.5;
    }

    /// <summary>Waits (a minute at most) until each host is on offer in its coordinator's market, so that the banner's
    /// <c>gpunet gpus</c> finds it: Ready in the registry comes a market tick or two before the market has indexed the
    /// host's capacity, and on a loaded machine the first search could come in between.</summary>
    private static async Task OfferedAsync(DevnetCoordinators network, List<HostAgent> agents, int hosts, CancellationToken ct)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < hosts && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromMinutes(1); )
        {
            var free = await network.For(i).Services.GetRequiredService<Market>().FreeGpusNowAsync();
            if (agents[i].HostId is { } id && free.TryGetValue(id, out var count) && count > 0)
                i++;
            else
                await Task.Delay(200, ct);
        }
    }

    // Devnet money, from the genesis reserve as a faucet: the customer gets CustomerFunds, and every host operator what
    // its host's stake requires (plus 100 tokens), all staked. Ids are derived from the participant, so a restarted
    // devnet does not pay twice (a slashed host stays short until its operator tops it up).
    private static async Task FundAsync(DevnetCoordinators network, Wallet customer, List<HostAgent> agents, CancellationToken ct)
    {
        var ledger = network.First.Services.GetRequiredService<LedgerService>();
        var stakes = network.First.Services.GetRequiredService<StakeTable>();
        var genesis = AccountKey.Network(AccountPurpose.Genesis);
        var transfers = new List<PlannedTransfer>
        {
            new(DevnetId("faucet", customer.Address.Value), genesis, AccountKey.Participant(customer.Address, AccountPurpose.Available),
                TokenAmount.FromTokens(CustomerFunds), TransferCode.Faucet),
        };
        for (var i = 0; i < agents.Count; i++)
        {
            // Each host as the coordinator its agent registered with knows it.
            var registry = network.For(i).Services.GetRequiredService<HostRegistry>();
            if (agents[i].HostId is not { } id || !registry.TryGet(id, out var entry) || !HostId.TryParse(id, out var hostId))
                continue;
            var operatorAddress = Address.Parse(entry.Record.Address);
            var required = stakes.RequiredStake(entry.Record.Gpus.Select(g => g.Model));
            transfers.Add(new(DevnetId("faucet", id), genesis, AccountKey.Participant(operatorAddress, AccountPurpose.Available),
                required + TokenAmount.FromTokens(100), TransferCode.Faucet));
            transfers.Add(new(DevnetId("stake", id), AccountKey.Participant(operatorAddress, AccountPurpose.Available), AccountKey.HostStake(hostId.Value),
                required, TransferCode.Stake));
        }

        var results = await ledger.SubmitAsync(transfers, ct);
        var refused = results.Where(r => r is not (TransferResult.Ok or TransferResult.Exists)).ToList();
        if (refused.Count > 0)
            throw new CliException($"funding the devnet's participants failed: {string.Join(", ", refused.Distinct())}");
    }

    // The devnet's simulated participants are verified through the real path: a submission (screened against the
    // sanctions list like anyone's), approved by the devnet as its compliance officer. A restarted devnet keeps them.
    private static async Task ApproveAsync(WebApplication coordinator, Address participant, string name, string country, CancellationToken ct)
    {
        var compliance = coordinator.Services.GetRequiredService<ComplianceService>();
        if (compliance.KycOf(participant.Value).Approved)
            return;
        var kyc = coordinator.Services.GetRequiredService<KycService>();
        var submitted = await kyc.SubmitAsync(participant.Value, new KycSubmissionInput
        {
            Kind = "person", LegalName = name, DateOfBirth = "1990-01-01", Country = country,
            DocumentNumber = "DEVNET-" + participant.Value[2..10].ToUpperInvariant(), DocumentCountry = country,
        }, ct);
        var id = submitted.Submission?.Id ?? throw new CliException($"the devnet's KYC submission for {name} was refused: {submitted.Problem}");
        var approved = await kyc.DecideAsync(id, approve: true, "simulated devnet participant", final: false, "devnet", ct);
        if (approved.Submission is null)
            throw new CliException($"approving the devnet's KYC for {name} failed: {approved.Problem}");
    }

    // What the banner says of the store: the file, or a connection string without its password.
    private static string StoreName(string? db, string data)
    {
        if (db is null)
            return Path.Combine(data, "gpunet.db");
        if (!db.Contains('=', StringComparison.Ordinal))
            return db;
        var kept = db.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.StartsWith("password", StringComparison.OrdinalIgnoreCase));
        return "PostgreSQL " + string.Join(';', kept);
    }

    private static TransferId DevnetId(string purpose, string participant) =>
        new(BitConverter.ToUInt128(SHA256.HashData(Encoding.UTF8.GetBytes($"devnet:{purpose}:{participant}")).AsSpan(0, 16)) | 1);

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var home = GpunetHome.Current();
        var data = Path.GetFullPath(s.Data ?? Path.Combine(home.Path, "devnet"));
        // The devnet's store, keys and agents' folders: its owner's only (an existing folder is left as it is).
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(data);
        else
            Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var interrupt = new Interrupt(cancellationToken);
        var ct = interrupt.Token;

        await using var network = await DevnetCoordinators.StartFirstAsync(s.Coordinators, s.Port, data, s.Db, o =>
        {
            o.Access.NetworkId = "devnet";
            o.Hosts.HeartbeatInterval = TimeSpan.FromSeconds(s.Heartbeat);
            o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(s.Heartbeat * 6);
            // Heard times reach the store well inside the suspect window: the leader judges hosts heard by the others from it.
            o.Hosts.PersistHeardEvery = CoordinatorCommand.PersistHeardEvery(s.Heartbeat);
            // ... which the monitor writes on its ticks: as often as gpunet coordinator ticks for these heartbeats.
            o.Hosts.MonitorInterval = CoordinatorCommand.MonitorInterval(s.Heartbeat);
            o.Ledger.EpochLength = TimeSpan.FromSeconds(s.Epoch);
            o.Ledger.SettlementDelay = TimeSpan.FromSeconds(Math.Min(5, s.Epoch / 4));
            o.Ledger.FaucetLimit = CustomerFunds;
            // Every agent runs on this machine: locate the public address each simulated host declares.
            o.Compliance.TrustDeclaredLocation = true;
            ShareOneMachine(o.Verification);
            // Reports wait for the next heartbeat to confirm their period: give the last ones a few heartbeats.
            o.Metering.UsageLateness = TimeSpan.FromSeconds(Math.Min(600, Math.Max(s.Epoch / 4, s.Heartbeat * 3)));
        }, ct);
        var coordinator = network.First;
        var url = network.ApiUrl(0);
        var adminToken = network.AdminToken;
        var customerKey = Path.Combine(data, "customer.key");
        var customer = Keys.LoadOrCreate(customerKey);
        home.SaveProfile(new Profile("devnet", url, adminToken, customerKey, "devnet"), makeCurrent: true);

        await ApproveAsync(coordinator, customer.Address, "Devnet Customer", "DE", ct);
        var sites = Enumerable.Range(0, s.Hosts).Select(DevnetPlan.Site).ToList();
        // One more host, in a blocked jurisdiction: it registers and heartbeats, and the geofence keeps it Pending.
        if (s.Hosts > 0)
            sites.Add(DevnetPlan.BlockedSite);
        var wallets = new List<Wallet>();
        for (var i = 0; i < sites.Count; i++)
        {
            var wallet = Keys.LoadOrCreate(Path.Combine(data, "keys", i < s.Hosts ? $"host-{i:D3}.key" : "host-blocked.key"));
            wallets.Add(wallet);
            await ApproveAsync(coordinator, wallet.Address, $"Devnet Host Operator {i:D3}", sites[i].Country, ct);
        }

        // The other coordinators load the approvals the first one stored.
        await network.StartRestAsync(ct);

        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var agents = new List<HostAgent>();
        var runs = new List<Task>();
        // Agents stop on Ctrl+C, and all of them stop if one of them dies: the devnet then exits with the reason.
        using var agentsStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            var wallet = wallets[i];
            var hostname = i < s.Hosts ? $"devnet-{i:D3}-{site.Country.ToLowerInvariant()}" : $"devnet-blocked-{site.Country.ToLowerInvariant()}";
            // Its own coordinator first, then the others in turn: an agent moves on by itself when its coordinator stops.
            var options = AgentOptionsFor(site, new Uri(network.ApiUrlFor(i)), hostname, Path.Combine(data, "agents", hostname), s.UnsafeProcessRuntime,
                [.. Enumerable.Range(1, network.All.Count - 1).Select(k => new Uri(network.ApiUrlFor(i + k)))]);
            var agent = new HostAgent(options, wallet, SimulatedGpuSource.FromSpecs([site.Gpus], wallet.Address.Value), TimeProvider.System, loggers.CreateLogger($"agent-{i:D3}"));
            agents.Add(agent);
            runs.Add(Task.Run(() => agent.RunAsync(agentsStop.Token), CancellationToken.None));
        }

        var checkers = await DevnetCheckers.StartAsync(network, s.Checkers, data, loggers, agentsStop, runs, ct);
        // Each agent's host as the coordinator it connected to sees it.
        bool Ready(int i) => agents[i].HostId is { } id && network.For(i).Services.GetRequiredService<HostRegistry>().TryGet(id, out var e)
            && e.State == HostState.Ready;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async p =>
        {
            var task = p.AddTask("hosts Ready", maxValue: Math.Max(1, s.Hosts));
            while (!ct.IsCancellationRequested)
            {
                var ready = Enumerable.Range(0, s.Hosts).Count(Ready);
                task.Value = ready;
                if ((ready >= s.Hosts && agents.All(a => a.HostId is not null)) || runs.Any(r => r.IsFaulted))
                    break;
                await Task.Delay(200, CancellationToken.None);
            }
        });
        if (runs.FirstOrDefault(r => r.IsFaulted) is { } failed)
            throw new CliException($"a devnet agent failed: {failed.Exception!.InnerException!.Message}");

        await FundAsync(network, customer, agents, ct);
        await OfferedAsync(network, agents, s.Hosts, ct);
        var gpuCount = Enumerable.Range(0, s.Hosts).Sum(i => agents[i].HostId is { } id
            && network.For(i).Services.GetRequiredService<HostRegistry>().TryGet(id, out var e) ? e.Record.Gpus.Count : 0);
        AnsiConsole.MarkupLineInterpolated($"[bold green]Gpunet devnet[/] is up: {s.Hosts} hosts, {gpuCount} GPUs, network [bold]devnet[/]");
        // A link that opens the console signed in as the devnet's customer (once, within minutes); gpunet login --web makes more.
        var (code, _) = await network.For(0).Services.GetRequiredService<Gpunet.Coordinator.Console.ConsoleLinks>().IssueAsync(customer.Address.Value, ct);
        AnsiConsole.MarkupLineInterpolated($"  console         {url}/#link={code}");
        AnsiConsole.MarkupLineInterpolated($"                  (signed in as the customer; the link works once, for 2 minutes: gpunet login --web [[--operator]] makes another)");
        AnsiConsole.MarkupLineInterpolated($"  API             {url}/api/v1");
        AnsiConsole.MarkupLineInterpolated($"  API reference   {url}/reference");
        AnsiConsole.MarkupLineInterpolated($"  agents (gRPC)   {network.AgentUrl(0)}");
        AnsiConsole.MarkupLineInterpolated($"  OpenAPI         {url}/openapi/v1.json");
        AnsiConsole.MarkupLineInterpolated($"  metrics         {url}/metrics");
        AnsiConsole.MarkupLineInterpolated($"  health          {url}/healthz");
        AnsiConsole.MarkupLineInterpolated($"  admin token     {adminToken}");
        AnsiConsole.MarkupLineInterpolated($"  customer        {customer.Address.Value} (key {customerKey}), {CustomerFunds:N0} tokens from the faucet");
        AnsiConsole.MarkupLineInterpolated($"  economics       hosts staked; an epoch settles every {s.Epoch:0.#} s: try gpunet wallet balance, gpunet epochs");
        if (s.Hosts > 0 && agents[^1].HostId is { } blockedId)
        {
            AnsiConsole.MarkupLineInterpolated($"  compliance      participants KYC-approved (gpunet kyc list); {blockedId} in {DevnetPlan.BlockedSite.Country} is held by the geofence: gpunet compliance host {blockedId}");
        }

        if (checkers.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"  checkers        {checkers.Count} licensed ({string.Join(", ", checkers.Select(k => k.Country))}) check every host's capacity at registration and liveness every minute: gpunet checks");
            AnsiConsole.MarkupLineInterpolated($"  a cheat         gpunet agent --coordinator {url} --simulate H100-SXM5-80GB:8 --simulate-actual RTX-4090-24GB --country DE --key cheat.key, then gpunet hosts");
        }

        // Several coordinators: one network over one store; each takes orders for any host and serves the agents sent to it.
        for (var i = 0; i < network.All.Count && network.All.Count > 1; i++)
            AnsiConsole.MarkupLineInterpolated($"  coordinator {i,-3} API {network.ApiUrl(i)}/api/v1, agents {network.AgentUrl(i)}");

        AnsiConsole.MarkupLineInterpolated($"  store           {StoreName(s.Db, data)}");
        AnsiConsole.MarkupLine("Profile [bold]devnet[/] saved: in another terminal try [bold]gpunet hosts[/] or [bold]gpunet gpus 'model=H100 count>=8'[/]. Ctrl+C stops everything.");

        // Until Ctrl+C, or until an agent ends on its own (it only does when it cannot go on).
        var interrupted = Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        await (runs.Count > 0 ? Task.WhenAny(Task.WhenAny(runs), interrupted) : interrupted);

        var died = runs.FirstOrDefault(r => r.IsFaulted);
        AnsiConsole.MarkupLine("[grey]stopping agents and coordinators…[/]");
        await agentsStop.CancelAsync();
        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var a in agents)
            a.Dispose();
        foreach (var k in checkers)
            k.Node.Dispose();
        await network.DisposeAsync();
        if (died is not null)
            throw new CliException($"a devnet agent stopped: {died.Exception!.InnerException!.Message}");
        AnsiConsole.MarkupLine("[grey]stopped.[/]");
        return 0;
    }
}
