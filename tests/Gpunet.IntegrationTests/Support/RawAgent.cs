using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Support;

/// <summary>An agent's handshake over real gRPC with a description the test writes itself (any fingerprint, any GPUs).</summary>
internal static class RawAgent
{
    /// <summary>A host in DE with a NIC whose MAC is made from <paramref name="fingerprintSeed"/>, with one H100 per UUID
    /// (indexed from 0); with no UUIDs, one GPU named after the seed. Its fingerprint is the one the coordinator recomputes.</summary>
    public static HostDescription Host(string fingerprintSeed, params string[] uuids)
    {
        var host = new HostDescription
        {
            Hostname = "raw",
            Country = "DE",
            PriceUsdPerGpuHour = 2,
        };
        string[] gpus = uuids.Length > 0 ? uuids : ["GPU-" + fingerprintSeed];
        for (var i = 0; i < gpus.Length; i++)
            host.Gpus.Add(new GpuDescription { Index = i, Uuid = gpus[i], Model = "H100-SXM5-80GB", MemoryTotalMib = 81559 });
        return Fingerprinted(host, fingerprintSeed);
    }

    /// <summary>Gives <paramref name="host"/> (its GPUs and CPU model set) a NIC whose MAC is made from
    /// <paramref name="seed"/>, and the fingerprint over its parts, as an agent computes it.</summary>
    public static HostDescription Fingerprinted(HostDescription host, string seed)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        host.NicMacs.Clear();
        host.NicMacs.Add(string.Join(':', bytes[..6].Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
        host.Fingerprint = HostFingerprint.Compute(host.NicMacs, host.CpuModel, host.Gpus.Select(g => g.Uuid));
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
