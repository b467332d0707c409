using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Cli.Client;
using Gpunet.Cli.Commands;
using Gpunet.Cli.Devnet;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.Cli.Bench;

/// <summary>The network <c>gpunet bench rent</c> orders from: one coordinator on loopback (its real REST API, store and
/// agent streams) and in-process agents with the devnet's simulated GPUs, starting real processes.</summary>
internal sealed class RentNetwork : IAsyncDisposable
{
    private readonly WebApplication _coordinator;
    private readonly string _data;
    private readonly string _adminToken;
    private readonly CancellationTokenSource _agentsStop = new();
    private readonly List<HostAgent> _agents = [];
    private readonly List<Task> _runs = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _ended = new(StringComparer.Ordinal);
    private bool _disposed;

    private RentNetwork(WebApplication coordinator, string data, string adminToken)
    {
        _coordinator = coordinator;
        _data = data;
        _adminToken = adminToken;
        coordinator.Services.GetRequiredService<Market>().Ended += (lease, _) => Ending(lease).TrySetResult();
    }

    /// <summary>How busy the coordinator's market loop has been so far, by kind of work.</summary>
    public IReadOnlyDictionary<string, (long Count, double Seconds)> MarketLoad() => _coordinator.Services.GetRequiredService<Market>().Load.Snapshot();

    /// <summary>The store's kind: sqlite or postgres.</summary>
    public string Store => _coordinator.Services.GetRequiredService<StoreConnection>().Provider.ToString().ToLowerInvariant();

    private Uri ApiUrl => new(_coordinator.Services.GetRequiredService<CoordinatorEndpoints>().ApiUrl);

    /// <summary>Starts the coordinator and <paramref name="hosts"/> agents, and returns once every host is Ready.</summary>
    public static async Task<RentNetwork> StartAsync(int hosts, string? db, string data, bool unsafeProcessRuntime, bool quiet, CancellationToken ct)
    {
        var adminToken = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var app = CoordinatorApp.Build("http://127.0.0.1:0", o =>
        {
            o.Store.DataDirectory = data;
            o.Store.Database = db;
            o.Access.NetworkId = "bench";
            o.Access.AdminToken = adminToken;
            // Fresh anonymous participants on loopback: approved and located as declared (as the devnet does), unstaked.
            o.Compliance.ApproveAllKyc = true;
            o.Compliance.TrustDeclaredLocation = true;
            o.Ledger.RequireStake = false;
        }, BenchLogging.Quiet);
        await app.StartAsync(ct);
        var network = new RentNetwork(app, data, adminToken);
        try
        {
            await network.StartAgentsAsync(hosts, unsafeProcessRuntime, quiet, ct);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private async Task StartAgentsAsync(int hosts, bool unsafeProcessRuntime, bool quiet, CancellationToken ct)
    {
        for (var i = 0; i < hosts; i++)
        {
            var site = DevnetPlan.Site(i);
            var wallet = Wallet.Create();
            var hostname = $"bench-rent-{i:D3}";
            var options = DevnetCommand.AgentOptionsFor(site, ApiUrl, hostname, Path.Combine(_data, "agents", hostname), unsafeProcessRuntime);
            var agent = new HostAgent(options, wallet, SimulatedGpuSource.FromSpecs([site.Gpus], wallet.Address.Value), TimeProvider.System, NullLogger.Instance);
            _agents.Add(agent);
            _runs.Add(Task.Run(() => agent.RunAsync(_agentsStop.Token), CancellationToken.None));
        }

        var registry = _coordinator.Services.GetRequiredService<HostRegistry>();
        bool Ready(HostAgent a) => a.HostId is { } id && registry.TryGet(id, out var e) && e.State == HostState.Ready;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await BenchProgress.RunAsync(quiet, "hosts Ready", hosts, async tick =>
        {
            var seen = 0;
            while (_agents.Count(Ready) is var ready && ready < hosts)
            {
                if (_runs.FirstOrDefault(r => r.IsFaulted) is { } failed)
                    throw new CliException($"a benchmark agent failed: {failed.Exception!.InnerException!.Message}");
                if (waited.Elapsed > TimeSpan.FromSeconds(60))
                    throw new CliException($"{ready} of {hosts} hosts became Ready within 60 s");
                for (; seen < ready; seen++)
                    tick();
                await Task.Delay(100, ct);
            }

            for (; seen < hosts; seen++)
                tick();
        });
    }

    /// <summary>Signed-in customer number <paramref name="i"/> (a fresh wallet, its key file in the data folder) with
    /// tokens for every order it will place.</summary>
    public async Task<CoordinatorClient> CustomerAsync(int i, CancellationToken ct)
    {
        var keyFile = Path.Combine(_data, $"customer-{i}.key");
        var wallet = Keys.LoadOrCreate(keyFile);
        using (var admin = CoordinatorClient.For(ApiUrl, _adminToken, null))
            await admin.PostAsync<System.Text.Json.JsonElement>("/api/v1/wallet/deposit", new { amount = "100000000", to = wallet.Address.Value }, ct);
        var customer = CoordinatorClient.For(ApiUrl, null, keyFile);
        await customer.GetAsync<System.Text.Json.JsonElement>("/api/v1/wallet", ct);
        return customer;
    }

    /// <summary>Completes when the lease has ended (at once if it already has).</summary>
    public async Task EndedAsync(string leaseId, CancellationToken ct)
    {
        var ended = Ending(leaseId);
        try
        {
            await ended.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        }
        catch (TimeoutException)
        {
            throw new CliException($"lease {leaseId} did not end within 60 s of its order");
        }
        finally
        {
            _ended.TryRemove(leaseId, out _);
        }
    }

    // Whichever comes first, the order's answer or the lease's end, makes the lease's entry.
    private TaskCompletionSource Ending(string leaseId) =>
        _ended.GetOrAdd(leaseId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _agentsStop.CancelAsync();
        try
        {
            await Task.WhenAll(_runs);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var agent in _agents)
            agent.Dispose();
        await _coordinator.StopAsync(CancellationToken.None);
        await _coordinator.DisposeAsync();
        _agentsStop.Dispose();
    }
}
