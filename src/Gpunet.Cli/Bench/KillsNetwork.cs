using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gpunet.Cli.Client;
using Gpunet.Coordinator.Storage;
using Npgsql;

namespace Gpunet.Cli.Bench;

/// <summary>The network <c>gpunet bench kills</c> runs: one real <c>gpunet coordinator</c> process on a store of its
/// own, restarted on the same store, ports and keys after every kill, and real <c>gpunet agent</c> processes that
/// reconnect to it by themselves.</summary>
/// <remarks>Everything lives in a scratch folder (the coordinator's data and logs, each agent's home and work folder)
/// and, with PostgreSQL, a scratch database on the given server. Both are removed afterwards unless
/// <see cref="Keep"/> is set (a failed run keeps them for a look).</remarks>
internal sealed class KillsNetwork : IAsyncDisposable
{
    /// <summary>The simulated GPUs of every host: one each, so that every lease has a host of its own.</summary>
    public const string HostGpus = "H100-SXM5-80GB:1";

    private readonly string? _server;
    private readonly string? _scratchDb;
    private readonly string _database;
    private readonly int _apiPort;
    private readonly int _agentPort;
    private readonly double _heartbeatSeconds;
    private readonly double _epochSeconds;
    private readonly TimeProvider _time;
    private readonly List<BenchProcess> _agents = [];
    private BenchProcess? _coordinator;
    private int _starts;

    private KillsNetwork(string folder, string database, string? server, string? scratchDb, double heartbeatSeconds, double epochSeconds, TimeProvider time)
    {
        Folder = folder;
        _database = database;
        _server = server;
        _scratchDb = scratchDb;
        _heartbeatSeconds = heartbeatSeconds;
        _epochSeconds = epochSeconds;
        _time = time;
        _apiPort = FreePort();
        _agentPort = FreePort();
        AdminToken = "gpa_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        Api = new Uri($"http://127.0.0.1:{_apiPort}");
    }

    /// <summary>The scratch folder: the coordinator's data and log, the agents' homes.</summary>
    public string Folder { get; }

    /// <summary>The coordinator's REST address; the same across restarts.</summary>
    public Uri Api { get; }

    /// <summary>The operator's token, the same across restarts.</summary>
    public string AdminToken { get; }

    /// <summary>The store as the coordinator is given it: a SQLite file, or the scratch database's connection string.</summary>
    public StoreConnection Store => StoreConnection.Parse(_database);

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string StoreName => Store.Provider.ToString().ToLowerInvariant();

    /// <summary>Leave the folder and scratch database in place when disposed.</summary>
    public bool Keep { get; set; }

    /// <summary>The coordinator's log (every start appends to it).</summary>
    public string CoordinatorLog => Path.Combine(Folder, "coordinator.log");

    /// <summary>Makes the scratch folder and, given a PostgreSQL <paramref name="postgres"/> server, a scratch database on it.</summary>
    public static async Task<KillsNetwork> CreateAsync(string? postgres, double heartbeatSeconds, double epochSeconds, TimeProvider time, CancellationToken ct)
    {
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var folder = Directory.CreateTempSubdirectory("gpunet-kills-" + run + "-").FullName;
        if (string.IsNullOrWhiteSpace(postgres))
            return new KillsNetwork(folder, Path.Combine(folder, "data", "gpunet.db"), null, null, heartbeatSeconds, epochSeconds, time);
        if (StoreConnection.Parse(postgres).Provider != StoreProvider.Postgres)
            throw new CliException("--postgres: not a PostgreSQL connection string (Host=...;Username=...;Password=...)");
        var scratch = "gpunet_kills_" + run;
        await ScratchDatabase.CreateAsync(postgres, scratch, ct);
        var database = new NpgsqlConnectionStringBuilder(postgres) { Database = scratch }.ConnectionString;
        return new KillsNetwork(folder, database, postgres, scratch, heartbeatSeconds, epochSeconds, time);
    }

    /// <summary>Starts <c>gpunet coordinator</c> on the store and waits until it answers its health check; returns
    /// how long that took.</summary>
    public async Task<TimeSpan> StartCoordinatorAsync(CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var s = (FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        string[] args =
        [
            "coordinator", "--data", Path.Combine(Folder, "data"), "--db", _database, "--urls", Api.ToString().TrimEnd('/'),
            "--agent-urls", s($"http://127.0.0.1:{_agentPort}"), "--heartbeat", s($"{_heartbeatSeconds}"), "--epoch", s($"{_epochSeconds}"),
            "--admin-token", AdminToken, "--network", "gpunet-bench",
        ];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // A test network's switches, as the other benchmarks and the devnet have them: the agents are fresh wallets
            // on loopback, so their operators count as KYC-approved and their hosts are located where they declare.
            ["Coordinator__ApproveAllKyc"] = "true",
            ["Coordinator__TrustDeclaredLocation"] = "true",
            // As the devnet has it: a short epoch settles a quarter of an epoch after its end, at most 5 s (the default).
            ["Coordinator__SettlementDelay"] = TimeSpan.FromSeconds(Math.Min(5, _epochSeconds / 4)).ToString("c", CultureInfo.InvariantCulture),
            // The coordinator's own events (settlements, host transitions) in its log, not every HTTP request.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["GPUNET_HOME"] = Path.Combine(Folder, "coordinator-home"),
        };
        File.AppendAllText(CoordinatorLog, $"--- start {++_starts} ---{Environment.NewLine}");
        _coordinator = BenchProcess.Start(args, environment, CoordinatorLog);
        using var http = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(2) };
        // A generous bound that only catches a coordinator that cannot start (its log says why).
        var deadline = started + (long)(_time.TimestampFrequency * 120);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_coordinator.HasExited)
                throw new CliException($"the coordinator exited at start {_starts}; see {CoordinatorLog}");
            if (_time.GetTimestamp() > deadline)
                throw new CliException($"the coordinator did not answer its health check within 120 s of start {_starts}; see {CoordinatorLog}");
            try
            {
                using var health = await http.GetAsync("/healthz", ct);
                if (health.IsSuccessStatusCode)
                    return _time.GetElapsedTime(started);
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, ct);
        }
    }

    /// <summary>Kills the coordinator with SIGKILL and waits until it is gone.</summary>
    public async Task KillCoordinatorAsync()
    {
        if (_coordinator is null)
            return;
        await _coordinator.KillAsync();
        _coordinator.Dispose();
        _coordinator = null;
    }

    /// <summary>Starts host agent number <paramref name="index"/> (its own home, key and work folder); returns its
    /// operator's key file.</summary>
    public string StartAgent(int index)
    {
        var home = AgentHome(index);
        Directory.CreateDirectory(home);
        var key = Path.Combine(home, "agent.key");
        Keys.LoadOrCreate(key);
        string[] args =
        [
            "agent", "--coordinator", Api.ToString().TrimEnd('/'), "--simulate", HostGpus, "--country", "DE",
            "--hostname", $"bench-kills-{index}", "--key", key,
            // The workload is the benchmark's own loop; where bubblewrap cannot run here, it runs unsandboxed.
            "--unsafe-process-runtime",
        ];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["GPUNET_HOME"] = home };
        _agents.Add(BenchProcess.Start(args, environment, Path.Combine(home, "agent.log")));
        return key;
    }

    /// <summary>Agent <paramref name="index"/>'s home; its workloads run in <c>HOME/work/leases/LEASE</c>.</summary>
    public string AgentHome(int index) => Path.Combine(Folder, "agents", index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The homes of every agent started.</summary>
    public IEnumerable<string> AgentHomes => Enumerable.Range(0, _agents.Count).Select(AgentHome);

    /// <summary>Whether an agent process has ended on its own (it only does when it cannot go on).</summary>
    public bool AnAgentExited => _agents.Any(a => a.HasExited);

    /// <summary>A REST client signed in as the operator.</summary>
    public CoordinatorClient Admin() => CoordinatorClient.For(Api, AdminToken, null);

    /// <summary>A REST client signed in with the wallet in <paramref name="keyFile"/>.</summary>
    public CoordinatorClient As(string keyFile) => CoordinatorClient.For(Api, null, keyFile);

    /// <summary>Stops every process (SIGKILL: the measurement is taken from the store afterwards).</summary>
    public async Task StopAsync()
    {
        await KillCoordinatorAsync();
        foreach (var agent in _agents)
        {
            await agent.KillAsync(entireTree: true);
            agent.Dispose();
        }

        _agents.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Keep)
            return;
        if (_scratchDb is not null)
            await ScratchDatabase.DropAsync(_server!, _scratchDb, CancellationToken.None);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
            // A sandboxed workload's folder belongs to its own uid; what cannot be removed stays in the temporary folder.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
