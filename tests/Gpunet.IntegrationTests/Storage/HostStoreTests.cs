using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>The same storage behaviour on SQLite and PostgreSQL.</summary>
public sealed class HostStoreTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static async Task<(HostStore Store, IDbContextFactory<GpunetDb> Db, RegistrationWriter Writer)> OpenAsync(string provider)
    {
        var connection = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        Assert.Equal(provider == "sqlite" ? StoreProvider.Sqlite : StoreProvider.Postgres, connection.Provider);
        var db = connection.CreateDbContextFactory();
        var own = new OwnHostChanges();
        var writer = new RegistrationWriter(db, own);
        var store = new HostStore(db, writer, own);
        await store.EnsureSchemaAsync(CancellationToken.None);
        return (store, db, writer);
    }

    private static HostRecord Host(string id, DateTimeOffset at) => new()
    {
        Id = id,
        Address = "0x52908400098527886e0f7030069857d2e4169ee7",
        Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))),
        Hostname = "h",
        Country = "DE",
        Region = "Hesse",
        PriceUsdPerGpuHour = 2.25m,
        State = nameof(HostState.Pending),
        StateReason = "registered",
        StateSince = at,
        RegisteredAt = at,
        Gpus = [new GpuRecord { HostId = id, Index = 0, Uuid = "GPU-" + id, Model = "H100-SXM5-80GB", MemoryTotalMib = 81559 }],
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hosts_InsertedInABatch_AreLoadedBackWithGpusAndHistory(string provider)
    {
        var (store, _, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 20).Select(i => $"host-{i:x12}").ToList();
        await Task.WhenAll(ids.Select(id => store.InsertHostAsync(Host(id, at),
            new HostTransitionRecord { HostId = id, From = "New", To = "Pending", Reason = "registered", At = at })));

        var loaded = await store.LoadAllAsync(CancellationToken.None);
        Assert.Equal(ids.Order(), loaded.Select(h => h.Id).Order());
        var one = loaded.Single(h => h.Id == ids[0]);
        Assert.Equal(2.25m, one.PriceUsdPerGpuHour);
        Assert.Equal(at, one.RegisteredAt);
        Assert.Equal("H100-SXM5-80GB", Assert.Single(one.Gpus).Model);
        Assert.Equal("Pending", Assert.Single(await store.TransitionsAsync(ids[0], 10, CancellationToken.None)).To);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Transitions_AreStoredInOrderAndUpdateTheHost(string provider)
    {
        var (store, _, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        const string id = "host-0000000000aa";
        await store.InsertHostAsync(Host(id, at), new HostTransitionRecord { HostId = id, From = "New", To = "Pending", Reason = "r", At = at });
        await store.ApplyTransitionsAsync([
            new HostTransition(id, HostState.Pending, HostState.Ready, "first heartbeat", at.AddSeconds(1)),
            new HostTransition(id, HostState.Ready, HostState.Suspect, "no heartbeat for 30 s", at.AddSeconds(40)),
        ], CancellationToken.None);
        await store.TouchHeardAsync([id], at.AddSeconds(9), CancellationToken.None);

        var host = Assert.Single(await store.LoadAllAsync(CancellationToken.None));
        Assert.Equal("Suspect", host.State);
        Assert.Equal("no heartbeat for 30 s", host.StateReason);
        Assert.Equal(at.AddSeconds(40), host.StateSince);
        Assert.Equal(at.AddSeconds(9), host.LastHeardAt);
        var history = await store.TransitionsAsync(id, 10, CancellationToken.None);
        Assert.Equal(["Pending", "Ready", "Suspect"], history.Select(t => t.To).ToArray());
        Assert.Equal(["Ready", "Suspect"], (await store.TransitionsAsync(id, 2, CancellationToken.None)).Select(t => t.To).ToArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UpdateHost_NewDescription_KeepsTheStateTheMonitorStored(string provider)
    {
        var (store, _, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        const string id = "host-0000000000bb";
        await store.InsertHostAsync(Host(id, at), new HostTransitionRecord { HostId = id, From = "New", To = "Pending", Reason = "r", At = at });
        await store.ApplyTransitionsAsync([new HostTransition(id, HostState.Pending, HostState.Offline, "silent", at.AddMinutes(2))], CancellationToken.None);

        // A re-registration with a new price, carrying the (stale) state it read earlier.
        var changed = Host(id, at);
        changed.PriceUsdPerGpuHour = 1.75m;
        await store.UpdateHostAsync(changed, at.AddMinutes(3), CancellationToken.None);

        var host = Assert.Single(await store.LoadAllAsync(CancellationToken.None));
        Assert.Equal(1.75m, host.PriceUsdPerGpuHour);
        Assert.Equal("Offline", host.State);
        Assert.Equal(at.AddMinutes(2), host.StateSince);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DuplicateFingerprint_IsRefusedAndTheOtherRowsInTheBatchStillLand(string provider)
    {
        var (store, _, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var a = Host("host-0000000000a1", at);
        var clash = Host("host-0000000000a2", at);
        clash.Fingerprint = a.Fingerprint;
        var ok = Host("host-0000000000a3", at);
        HostTransitionRecord T(string id) => new() { HostId = id, From = "New", To = "Pending", Reason = "r", At = at };
        await store.InsertHostAsync(a, T(a.Id));
        var results = await Task.WhenAll(
            Capture(store.InsertHostAsync(clash, T(clash.Id))),
            Capture(store.InsertHostAsync(ok, T(ok.Id))));
        Assert.NotNull(results[0]);
        Assert.Null(results[1]);
        Assert.Equal([a.Id, ok.Id], (await store.LoadAllAsync(CancellationToken.None)).Select(h => h.Id).Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Schema_FromAnotherVersion_IsRefusedWithAClearError(string provider)
    {
        var (store, db, writer) = await OpenAsync(provider);
        await using var _w = writer;
        await using (var ctx = db.CreateDbContext())
        {
            // A store another release made whole, without migrations: no history, another version in meta.
            await ctx.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
            var meta = await ctx.Meta.SingleAsync(m => m.Key == "schema_version");
            meta.Value = "999";
            await ctx.SaveChangesAsync();
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.EnsureSchemaAsync(CancellationToken.None));
        Assert.Contains("schema version '999'", e.Message, StringComparison.Ordinal);
    }

    private static async Task<Exception?> Capture(Task t)
    {
        try
        {
            await t;
            return null;
        }
        catch (DbUpdateException e)
        {
            return e;
        }
    }
}
