using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Core.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Support;

/// <summary>A real host agent (simulated GPUs, real gRPC stream) running in the background.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private TestAgent(HostAgent agent, Wallet wallet)
    {
        Agent = agent;
        Wallet = wallet;
        Run = Task.Run(() => agent.RunAsync(_stop.Token));
    }

    public HostAgent Agent { get; }
    public Wallet Wallet { get; }
    public Task Run { get; }

    public static TestAgent Start(string coordinatorUrl, string gpus = "H100-SXM5-80GB:8", string country = "DE", Wallet? wallet = null,
        string region = "Hesse", double price = 2.5, string? seed = null, string? workDirectory = null, TimeSpan? usageInterval = null,
        string publicIp = "", IReadOnlyList<string>? failover = null)
    {
        wallet ??= Wallet.Create();
        var agent = new HostAgent(new AgentOptions
        {
            Coordinator = new Uri(coordinatorUrl),
            FailoverCoordinators = [.. (failover ?? []).Select(u => new Uri(u))],
            Simulate = [gpus],
            Country = country,
            Region = region,
            PublicIp = publicIp,
            Latitude = 50.1,
            Longitude = 8.7,
            PriceUsdPerGpuHour = price,
            Hostname = "test-host",
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            UsageInterval = usageInterval ?? TimeSpan.FromSeconds(60),
            WorkDirectory = workDirectory ?? Directory.CreateTempSubdirectory("gpunet-agent-").FullName,
        }, wallet, SimulatedGpuSource.FromSpecs([gpus], seed ?? wallet.Address.Value), TimeProvider.System, NullLogger.Instance);
        return new TestAgent(agent, wallet);
    }

    /// <summary>Runs an agent built by the test itself.</summary>
    public static TestAgent Wrap(HostAgent agent, Wallet wallet) => new(agent, wallet);

    /// <summary>Waits until the coordinator has given this agent a host id.</summary>
    public Task<string> HostIdAsync(double seconds = 30) =>
        Eventually.Async(() => Task.FromResult(Agent.HostId), id => id is not null, "the agent to register", seconds);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run;
        }
        catch (OperationCanceledException)
        {
        }

        Agent.Dispose();
        _stop.Dispose();
    }
}
