using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>The registry's index by operator: a wallet or console page reads its operator's hosts alone, and a host
/// that changes hands (re-registered by another operator, or adopted so from another coordinator) moves with it.</summary>
public sealed class HostRegistryTests
{
    private static readonly Address Alice = Wallet.Create().Address;
    private static readonly Address Bob = Wallet.Create().Address;

    [Fact]
    public void OwnedBy_ListsAnOperatorsOwnHostsById_AndNoneForAStranger()
    {
        var registry = new HostRegistry();
        registry.Load([Host("host-00000000000b", Alice), Host("host-00000000000a", Alice), Host("host-00000000000c", Bob)]);

        Assert.Equal(["host-00000000000a", "host-00000000000b"], registry.OwnedBy(Alice).Select(e => e.Id));
        Assert.Equal(["host-00000000000c"], registry.OwnedBy(Bob).Select(e => e.Id));
        Assert.Empty(registry.OwnedBy(Wallet.Create().Address));
    }

    [Fact]
    public void AHostReplacedOrAdoptedUnderAnotherOperator_MovesToThatOperatorsHosts()
    {
        var registry = new HostRegistry();
        registry.Load([Host("host-00000000000a", Alice), Host("host-00000000000b", Alice)]);
        Assert.True(registry.TryGet("host-00000000000a", out var a));

        registry.Replace(a, Host("host-00000000000a", Bob));
        Assert.Equal(["host-00000000000b"], registry.OwnedBy(Alice).Select(e => e.Id));
        Assert.Equal(["host-00000000000a"], registry.OwnedBy(Bob).Select(e => e.Id));

        // Another coordinator stored host b under Bob: this one follows the store's change.
        registry.Adopt([Host("host-00000000000b", Bob)]);
        Assert.Empty(registry.OwnedBy(Alice));
        Assert.Equal(["host-00000000000a", "host-00000000000b"], registry.OwnedBy(Bob).Select(e => e.Id));
    }

    private static HostRecord Host(string id, Address operatorAddress)
    {
        var now = DateTimeOffset.UnixEpoch;
        var host = new HostRecord
        {
            Id = id, Address = operatorAddress.Value, Fingerprint = "fp-" + id, Hostname = id, Country = "DE", State = "Ready",
            StateSince = now, RegisteredAt = now, LastHeardAt = now, HeardSince = now, Simulated = true,
        };
        host.Gpus.Add(new GpuRecord { HostId = id, Index = 0, Uuid = "GPU-" + id, Model = "H100-SXM5-80GB", MemoryTotalMib = 81_559 });
        return host;
    }
}
