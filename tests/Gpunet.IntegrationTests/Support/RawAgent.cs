using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Support;

/// <summary>An agent's handshake over real gRPC with a description the test writes itself (any fingerprint, any GPUs).</summary>
internal static class RawAgent
{
    /// <summary>A host in DE whose fingerprint is SHA-256 of <paramref name="fingerprintSeed"/>, with one H100 per UUID
    /// (indexed from 0); with no UUIDs, one GPU named after the seed.</summary>
    public static HostDescription Host(string fingerprintSeed, params string[] uuids)
    {
        var host = new HostDescription
        {
            Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fingerprintSeed))),
            Hostname = "raw",
            Country = "DE",
            PriceUsdPerGpuHour = 2,
        };
        string[] gpus = uuids.Length > 0 ? uuids : ["GPU-" + fingerprintSeed];
        for (var i = 0; i < gpus.Length; i++)
            host.Gpus.Add(new GpuDescription { Index = i, Uuid = gpus[i], Model = "H100-SXM5-80GB", MemoryTotalMib = 81559 });
        return host;
    }

    /// <summary>Registers <paramref name="host"/> as <paramref name="wallet"/> on a stream it then closes.</summary>
    public static async Task<Registered> RegisterAsync(TestCoordinator c, Wallet wallet, HostDescription host)
    {
        using var channel = GrpcChannel.ForAddress(c.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        return await AgentHandshake.RunAsync(call, wallet, host, "test", TimeProvider.System, CancellationToken.None);
    }
}
