using System.Net.Http.Json;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Checker;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>Three licensed checker nodes in three countries, connected to a test coordinator, as on a devnet; and a
/// cheating agent that claims one GPU model and performs as another.</summary>
internal sealed class CheckerNodes : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(CheckerNode Node, Task Run)> _nodes = [];

    /// <summary>Capacity checks only (no location rounds, no honeypots), scheduled often, with a timing band wide enough
    /// that a loaded test machine does not fail an honest host while a card at a third of the claimed speed still fails.</summary>
    public static void Configure(CoordinatorOptions o)
    {
        o.Verification.LocationChecks = false;
        o.Verification.HoneypotShare = 0;
        o.Verification.SchedulerInterval = TimeSpan.FromMilliseconds(200);
        o.Verification.CapacityCardBand = 0.5;
        // Simulated hosts wait out the claimed model's time for real: 2 s keeps the tests' time, and on loopback the
        // round trip is far too short to need the production 10 s.
        o.Verification.CapacityComputeTime = TimeSpan.FromSeconds(2);
        o.Verification.CapacityConfirmAfter = TimeSpan.FromSeconds(1);
    }

    /// <summary>Grants three new wallets a licence and connects their nodes (DE, US, JP).</summary>
    public static async Task<CheckerNodes> StartAsync(TestCoordinator c)
    {
        var nodes = new CheckerNodes();
        foreach (var (country, lat, lon) in new[] { ("DE", 50.11, 8.68), ("US", 38.95, -77.45), ("JP", 35.68, 139.69) })
        {
            var wallet = Wallet.Create();
            (await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = wallet.Address.Value })).EnsureSuccessStatusCode();
            var node = new CheckerNode(new CheckerOptions { Coordinator = new Uri(c.ApiUrl), Latitude = lat, Longitude = lon, Country = country },
                wallet, TimeProvider.System, NullLogger.Instance);
            nodes._nodes.Add((node, Task.Run(() => node.RunAsync(nodes._stop.Token))));
        }

        var roster = c.App.Services.GetRequiredService<CheckerRoster>();
        await Eventually.Async(() => Task.FromResult<object?>(roster.Connected.Count), n => (int)n == 3, "three checkers connected");
        return nodes;
    }

    /// <summary>An agent in DE whose wallet is <paramref name="wallet"/>, claiming two <paramref name="claimed"/> GPUs that
    /// perform as <paramref name="actual"/>.</summary>
    public static TestAgent Cheat(TestCoordinator c, Wallet wallet, string claimed = "H100-SXM5-80GB", string actual = "RTX-4090-24GB") =>
        TestAgent.Wrap(new HostAgent(new AgentOptions
        {
            Coordinator = new Uri(c.ApiUrl), Simulate = [claimed + ":2"], SimulateActual = actual, Country = "DE",
            Latitude = 50.1, Longitude = 8.7, Hostname = "cheat", MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            WorkDirectory = Directory.CreateTempSubdirectory("gpunet-agent-").FullName,
        }, wallet, SimulatedGpuSource.FromSpecs([claimed + ":2"], wallet.Address.Value), TimeProvider.System, NullLogger.Instance), wallet);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (node, run) in _nodes)
        {
            await run;
            node.Dispose();
        }

        _stop.Dispose();
    }
}
