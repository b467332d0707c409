using System.Security.Cryptography;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Auth;
using Microsoft.Extensions.Logging;

namespace Gpunet.Cli.Devnet;

/// <summary>The devnet's coordinators: one, or several over one store as one network, coordinator i answering people on
/// port P + 2i and agents on P + 2i + 1.</summary>
internal sealed class DevnetCoordinators : IAsyncDisposable
{
    private readonly List<WebApplication> _started = [];
    private readonly int _count;
    private readonly int _port;
    private readonly string _data;
    private readonly string? _database;
    private readonly Action<CoordinatorOptions> _configure;

    private DevnetCoordinators(int count, int port, string data, string? database, Action<CoordinatorOptions> configure)
    {
        (_count, _port, _data, _database, _configure) = (count, port, data, database, configure);
        // One admin token for the network, so that the saved profile works against any of them.
        AdminToken = GpunetClaims.AdminTokenPrefix + RandomNumberGenerator.GetHexString(40, lowercase: true);
    }

    /// <summary>The admin token every coordinator of the devnet accepts.</summary>
    public string AdminToken { get; }

    /// <summary>The running coordinators, in order.</summary>
    public IReadOnlyList<WebApplication> All => _started;

    /// <summary>The first: the devnet's participants are approved and funded through it.</summary>
    public WebApplication First => _started[0];

    /// <summary>Coordinator i's REST URL, with its bound port.</summary>
    public string ApiUrl(int i) => _started[i].Services.GetRequiredService<CoordinatorEndpoints>().ApiUrl;

    /// <summary>Coordinator i's agent (gRPC) URL, with its bound port.</summary>
    public string AgentUrl(int i) => _started[i].Services.GetRequiredService<CoordinatorEndpoints>().AgentUrl;

    /// <summary>The coordinator an agent or checker numbered <paramref name="i"/> connects to: spread round the ring.</summary>
    public WebApplication For(int i) => _started[i % _started.Count];

    /// <summary>The REST URL of <see cref="For"/>.</summary>
    public string ApiUrlFor(int i) => ApiUrl(i % _started.Count);

    /// <summary>Prepares <paramref name="count"/> coordinators and starts the first; <see cref="StartRestAsync"/> starts
    /// the others once the first has stored what they should load.</summary>
    public static async Task<DevnetCoordinators> StartFirstAsync(int count, int port, string data, string? database,
        Action<CoordinatorOptions> configure, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var network = new DevnetCoordinators(count, port, data, database, configure);
        await network.StartAsync(0, ct);
        return network;
    }

    /// <summary>Starts coordinators 1 … N − 1 over the first one's store.</summary>
    public async Task StartRestAsync(CancellationToken ct)
    {
        for (var i = 1; i < _count; i++)
            await StartAsync(i, ct);
    }

    private async Task StartAsync(int i, CancellationToken ct)
    {
        var port = _port == 0 ? 0 : _port + (2 * i);
        var app = CoordinatorApp.Build($"http://127.0.0.1:{port}", o =>
        {
            _configure(o);
            // Every coordinator shares the data folder, and with it the SQLite store unless --db names another.
            o.Store.DataDirectory = _data;
            o.Store.Database = _database;
            o.Access.AdminToken = AdminToken;
        }, logging => logging.SetMinimumLevel(LogLevel.Warning));
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new CliException($"cannot listen on port {port} or {port + 1}: {e.Message}; is another devnet running? try --port 0", e);
        }

        _started.Add(app);
    }

    public async ValueTask DisposeAsync()
    {
        // The last started first, so that the first (which the devnet's setup used) goes last.
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
            await _started[i].DisposeAsync();
        }

        _started.Clear();
    }
}
