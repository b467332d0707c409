using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Scheduling;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Scheduling;

/// <summary>Durable placements on SQLite and PostgreSQL: batched commits, and optimistic concurrency between
/// coordinators sharing one store.</summary>
public sealed class PlacementStoreTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static async Task<string> NewStoreAsync(string provider)
    {
        var db = await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir());
        var factory = StoreConnection.Parse(db).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(factory, CancellationToken.None);
        return db;
    }

    private static (PlacementStore Store, PlacementWriter Writer) Open(string db)
    {
        var factory = StoreConnection.Parse(db).CreateDbContextFactory();
        var writer = new PlacementWriter(factory);
        return (new PlacementStore(factory, writer), writer);
    }

    private static HostCapacityRecord Row(NodeSpec n) => new()
    {
        HostId = n.Name, FreeCpuMilli = n.CpuMilli, FreeMemoryMib = n.MemoryMib,
        FreeGpuMilli = HostCapacityRecord.FormatGpus(Enumerable.Repeat(PlacementRequest.WholeGpu, n.GpuCount).ToArray()),
    };

    private static PlacementCommit EightGpus(NodeSpec n, long version, string id) => new(
        n.Name, version, n.CpuMilli - 8000, n.MemoryMib - 8192, "0,0,0,0,0,0,0,0",
        new AllocationRecord { Id = id, HostId = n.Name, GpuIndices = "0,1,2,3,4,5,6,7", GpuMilliEach = 1000, CpuMilli = 8000, MemoryMib = 8192, CreatedAt = At });

    /// <summary>The <paramref name="gpu"/>th placement of one whole GPU on an 8-GPU host (GPUs 0 to it taken).</summary>
    private static PlacementCommit One(NodeSpec n, long version, int gpu, string id)
    {
        var free = Enumerable.Repeat(PlacementRequest.WholeGpu, 8).ToArray();
        for (var g = 0; g <= gpu; g++)
            free[g] = 0;
        return new PlacementCommit(n.Name, version, n.CpuMilli - (gpu + 1) * 1000, n.MemoryMib, HostCapacityRecord.FormatGpus(free),
            new AllocationRecord { Id = id, HostId = n.Name, GpuIndices = $"{gpu}", GpuMilliEach = 1000, CpuMilli = 1000, CreatedAt = At });
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Placements_CommitInBatches_AndTheStoredCapacityMatchesMemory(string provider)
    {
        var (store, writer) = Open(await NewStoreAsync(provider));
        await using var _w = writer;
        var nodes = Enumerable.Range(0, 6).Select(i => new NodeSpec($"host-{i:x12}", 64_000, 512_000, 8, "H100-SXM5-80GB")).ToList();
        await store.AddHostsAsync(nodes.Select(Row), CancellationToken.None);
        var cluster = new ClusterCapacity(nodes);
        var versions = new long[nodes.Count];
        var policy = new BestFitPolicy();
        var commits = new List<Task<PlacementResult>>();
        for (var i = 0; i < 60; i++)
        {
            var request = new PlacementRequest(1000, 4096, 1, i % 4 == 3 ? 500 : PlacementRequest.WholeGpu);
            var p = policy.Choose(cluster, request);
            if (p is null)
                break;
            cluster.Allocate(p);
            commits.Add(store.CommitAsync(PlacementCommit.After(cluster, p, versions[p.Node]++, $"alloc-{i:d4}", At)));
        }

        var results = await Task.WhenAll(commits);
        Assert.All(results, r => Assert.IsType<PlacementCommitted>(r));
        Assert.Equal(commits.Count, await store.AllocationCountAsync(CancellationToken.None));
        var stored = (await store.AllCapacityAsync(CancellationToken.None)).ToDictionary(c => c.HostId);
        for (var n = 0; n < nodes.Count; n++)
        {
            var row = stored[nodes[n].Name];
            Assert.Equal(cluster.FreeCpuMilli(n), row.FreeCpuMilli);
            Assert.Equal(cluster.FreeMemoryMib(n), row.FreeMemoryMib);
            Assert.Equal(cluster.GpuFreeMilli(n).ToArray(), HostCapacityRecord.ParseGpus(row.FreeGpuMilli));
            Assert.Equal(versions[n], row.Version);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoCoordinators_PlacingTheSameGpus_OneWinsAndTheOtherConflicts(string provider)
    {
        var db = await NewStoreAsync(provider);
        var (a, writerA) = Open(db);
        var (b, writerB) = Open(db);
        await using var _a = writerA;
        await using var _b = writerB;
        var node = new NodeSpec("host-0000000000aa", 64_000, 512_000, 8, "H100-SXM5-80GB");
        await a.AddHostsAsync([Row(node)], CancellationToken.None);

        // Both coordinators believe the host has 8 free GPUs at version 0 and give all 8 away at once.
        var results = await Task.WhenAll(a.CommitAsync(EightGpus(node, 0, "alloc-a")), b.CommitAsync(EightGpus(node, 0, "alloc-b")));

        Assert.Single(results.OfType<PlacementCommitted>());
        var conflict = Assert.Single(results.OfType<PlacementConflict>());
        Assert.Equal(node.Name, conflict.HostId);
        var row = await b.CapacityAsync(node.Name, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal("0,0,0,0,0,0,0,0", row.FreeGpuMilli);
        Assert.Equal(1, row.Version);
        Assert.Equal(node.CpuMilli - 8000, row.FreeCpuMilli);
        var allocation = Assert.Single(await a.AllocationsAsync(node.Name, CancellationToken.None));
        Assert.Equal(results.OfType<PlacementCommitted>().Single().AllocationId, allocation.Id);
    }

    /// <summary>Each store, with the commits queued for the writer's loop (false) or committed now on the caller, as
    /// the market's loop does (true).</summary>
    public static TheoryData<string, bool> ProvidersBothWays
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var provider in TestStores.Providers)
            {
                data.Add(provider, false);
                data.Add(provider, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ProvidersBothWays))]
    public async Task ABatchWithOneConflict_StillCommitsTheOthers(string provider, bool now)
    {
        var (store, writer) = Open(await NewStoreAsync(provider));
        await using var _w = writer;
        var nodes = Enumerable.Range(0, 3).Select(i => new NodeSpec($"host-{i:x12}", 64_000, 512_000, 8, "H100-SXM5-80GB")).ToList();
        await store.AddHostsAsync(nodes.Select(Row), CancellationToken.None);

        // One batch (queued together, or committed now); host 1's placement expects a version the store never had.
        PlacementCommit[] batch = [One(nodes[0], 0, 0, "a0"), One(nodes[1], 5, 0, "b0"), One(nodes[2], 0, 0, "c0"), One(nodes[0], 1, 1, "a1")];
        var outcomes = now ? await store.CommitNowAsync(batch) : [.. batch.Select(store.CommitAsync)];
        if (now)
            Assert.All(outcomes, o => Assert.True(o.IsCompletedSuccessfully)); // done when the call returns, none faulted
        var results = await Task.WhenAll(outcomes);

        Assert.IsType<PlacementCommitted>(results[0]);
        Assert.IsType<PlacementConflict>(results[1]);
        Assert.IsType<PlacementCommitted>(results[2]);
        Assert.Equal(2, Assert.IsType<PlacementCommitted>(results[3]).Version);
        var stored = (await store.AllCapacityAsync(CancellationToken.None)).ToDictionary(c => c.HostId);
        Assert.Equal("0,0,1000,1000,1000,1000,1000,1000", stored[nodes[0].Name].FreeGpuMilli);
        Assert.Equal(2, stored[nodes[0].Name].Version);
        Assert.Equal(62_000, stored[nodes[0].Name].FreeCpuMilli);
        Assert.Equal(0, stored[nodes[1].Name].Version);
        Assert.Equal("1000,1000,1000,1000,1000,1000,1000,1000", stored[nodes[1].Name].FreeGpuMilli);
        Assert.Equal(1, stored[nodes[2].Name].Version);
        Assert.Empty(await store.AllocationsAsync(nodes[1].Name, CancellationToken.None));
        Assert.Equal(3, await store.AllocationCountAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CommittedNow_ARelease_DeletesTheAllocation_AndFreesTheHostAtTheNextVersion(string provider)
    {
        var (store, writer) = Open(await NewStoreAsync(provider));
        await using var _w = writer;
        var node = new NodeSpec("host-0000000000cc", 64_000, 512_000, 8, "H100-SXM5-80GB");
        await store.AddHostsAsync([Row(node)], CancellationToken.None);
        Assert.IsType<PlacementCommitted>(await (await store.CommitNowAsync([One(node, 0, 0, "c0")]))[0]);

        var released = await store.CommitNowAsync([new PlacementCommit(node.Name, 1, node.CpuMilli, node.MemoryMib,
            HostCapacityRecord.FormatGpus(Enumerable.Repeat(PlacementRequest.WholeGpu, 8).ToArray()), Allocation: null, ReleasedAllocationId: "c0")]);

        Assert.Equal(2, Assert.IsType<PlacementCommitted>(await released[0]).Version);
        Assert.Empty(await store.AllocationsAsync(node.Name, CancellationToken.None));
        var row = await store.CapacityAsync(node.Name, CancellationToken.None);
        Assert.Equal((node.CpuMilli, "1000,1000,1000,1000,1000,1000,1000,1000"), (row!.FreeCpuMilli, row.FreeGpuMilli));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CommittedNow_MoreThanOneTransactionHolds_VersionsChainAcrossThem(string provider)
    {
        var (store, writer) = Open(await NewStoreAsync(provider));
        await using var _w = writer;
        var nodes = Enumerable.Range(0, 3).Select(i => new NodeSpec($"host-{i:x12}", 64_000, 512_000, 8, "H100-SXM5-80GB")).ToList();
        await store.AddHostsAsync(nodes.Select(Row), CancellationToken.None);

        // 2,100 placements of a millicore each, 700 per host in version order: more than one transaction takes, and
        // the last host's chain runs across the cut.
        var commits = nodes.SelectMany(n => Enumerable.Range(0, 700).Select(k => new PlacementCommit(n.Name, k, n.CpuMilli - (k + 1), n.MemoryMib,
            HostCapacityRecord.FormatGpus(Enumerable.Repeat(PlacementRequest.WholeGpu, 8).ToArray()),
            new AllocationRecord { Id = $"{n.Name}.{k}", HostId = n.Name, GpuIndices = "", GpuMilliEach = 0, CpuMilli = 1, CreatedAt = At }))).ToList();

        var results = await Task.WhenAll(await store.CommitNowAsync(commits));

        Assert.All(results, r => Assert.IsType<PlacementCommitted>(r));
        Assert.Equal(2_100, await store.AllocationCountAsync(CancellationToken.None));
        Assert.All(await store.AllCapacityAsync(CancellationToken.None), row =>
        {
            Assert.Equal(700, row.Version);
            Assert.Equal(64_000 - 700, row.FreeCpuMilli);
        });
    }
}
