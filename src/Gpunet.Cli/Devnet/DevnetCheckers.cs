using Gpunet.Checker;
using Gpunet.Coordinator.Verification;
using Microsoft.Extensions.Logging;

namespace Gpunet.Cli.Devnet;

/// <summary>The devnet's checker nodes: each with its own key, licensed by the devnet as its network operator, run in
/// this process against the coordinator's real API and gRPC stream.</summary>
internal static class DevnetCheckers
{
    /// <summary>One running checker and where it says it is.</summary>
    public sealed record Running(CheckerNode Node, string Country);

    /// <summary>Licenses and starts <paramref name="count"/> checkers, spread across the network's coordinators, stopped by
    /// <paramref name="stop"/>; their runs join <paramref name="runs"/>.</summary>
    public static async Task<List<Running>> StartAsync(DevnetCoordinators network, int count, string data, ILoggerFactory loggers,
        CancellationTokenSource stop, List<Task> runs, CancellationToken ct)
    {
        var licences = network.First.Services.GetRequiredService<CheckerLicences>();
        var started = new List<Running>();
        for (var i = 0; i < count; i++)
        {
            var wallet = Keys.LoadOrCreate(Path.Combine(data, "keys", $"checker-{i:D2}.key"));
            var (country, latitude, longitude) = DevnetPlan.CheckerSite(i);
            await licences.GrantAsync(wallet.Address.Value, $"devnet checker in {country}", "devnet", ct);
            var node = new CheckerNode(new CheckerOptions { Coordinator = new Uri(network.ApiUrlFor(i)), Latitude = latitude, Longitude = longitude, Country = country },
                wallet, TimeProvider.System, loggers.CreateLogger($"checker-{i:D2}"));
            runs.Add(Task.Run(() => node.RunAsync(stop.Token), CancellationToken.None));
            started.Add(new Running(node, country));
        }

        return started;
    }
}
