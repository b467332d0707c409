using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Agent.Probe;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Agent.Probe;

/// <summary>Many agents in one process (a devnet, `gpunet bench rent --hosts 140`) or as one user (a rack of hosts
/// run by one account) each have a probe server.</summary>
public sealed class ProbeServerCountTests
{
    [Fact]
    public async Task StartAsync_MoreProbesThanTheUsersInotifyInstances_AllStart()
    {
        // Each probe server once watched its content root for settings changes, an inotify instance each: past the
        // per-user limit (128 by default) the next agent failed to start.
        var limit = File.Exists("/proc/sys/fs/inotify/max_user_instances")
            ? int.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_user_instances").Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : 128;
        var count = Math.Min(limit, 1024) + 2;
        var inventory = await SimulatedGpuSource.FromSpecs(["RTX-4090-24GB:1"], "probe-count").ReadAsync(CancellationToken.None);
        var options = new AgentOptions { Coordinator = new Uri("http://127.0.0.1:9"), Country = "DE" };
        var probes = new List<AgentProbe>();
        try
        {
            for (var i = 0; i < count; i++)
                probes.Add(await AgentProbe.StartAsync(options, inventory, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

            Assert.Equal(count, probes.Select(p => p.Endpoint).Distinct().Count());
        }
        finally
        {
            foreach (var probe in probes)
                await probe.DisposeAsync();
        }
    }
}
