using System.Net.Sockets;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Agent.Workloads;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>A session run by a real agent in its sandbox: the customer reads its endpoint from the API and reaches the
/// workload there.</summary>
public sealed class SessionEndpointTests
{
    [SandboxFact]
    public async Task ASession_ListensOnGpunetPort_AndIsReachedAtItsEndpoint()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:1");
        using var customer = await c.CustomerAsync(Wallet.Create());

        // busybox's nc answers the first connection with one line, then ends (and the lease with it).
        var order = await customer.RentAsync(new
        {
            gpu = new[] { "H100" }, count = 1, maxPrice = 3, kind = "session",
            command = new[] { "/bin/sh", "-c", "echo hello from $GPUNET_LEASE_ID | busybox nc -l -p $GPUNET_PORT" },
        });
        var running = await customer.WaitForLeaseAsync(order.LeaseId, l => l.Endpoint is not null, "to show its endpoint");
        var (address, port) = Split(running.Endpoint!);

        // Running means started: the workload may not listen yet.
        var line = await Eventually.Async(async () => await ReadLineAsync(address, port), l => l.Length > 0, "the session to answer");

        Assert.Equal($"hello from {order.LeaseId}", line);
        var ended = await customer.WaitForStateAsync(order.LeaseId, "Succeeded");
        Assert.Null(ended.Endpoint);
    }

    private static (string Address, int Port) Split(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return (endpoint[..colon].Trim('[', ']'), int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The first line the endpoint sends; empty when nothing listens there yet.</summary>
    private static async Task<string> ReadLineAsync(string address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port);
        }
        catch (SocketException)
        {
            return "";
        }

        using var reader = new StreamReader(client.GetStream());
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
    }
}
