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
    public async Task Transitions_OfAHostNotStored_AreLeftOutAndTheOthersLandWithOneChangeRowEach(string provider)
    {
        var (store, db, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        const string a = "host-0000000000c1", b = "host-0000000000c2", ghost = "host-0000000000c3";
        foreach (var id in new[] { a, b })
            await store.InsertHostAsync(Host(id, at), new HostTransitionRecord { HostId = id, From = "New", To = "Pending", Reason = "r", At = at });

        // A monitor tick that also moved a host whose registration's row is not stored yet.
        await store.ApplyTransitionsAsync([
            new HostTransition(a, HostState.Pending, HostState.Ready, "first heartbeat received 0 s after registration", at.AddSeconds(1)),
            new HostTransition(ghost, HostState.Pending, HostState.Ready, "first heartbeat received 0 s after registration", at.AddSeconds(1)),
            new HostTransition(b, HostState.Pending, HostState.Ready, "first heartbeat received 0 s after registration", at.AddSeconds(1)),
            new HostTransition(a, HostState.Ready, HostState.Suspect, "no heartbeat for 30 s", at.AddSeconds(1)),
        ], CancellationToken.None);

        var hosts = (await store.LoadAllAsync(CancellationToken.None)).ToDictionary(h => h.Id);
        Assert.Equal([a, b], hosts.Keys.Order().ToArray());
        Assert.Equal(("Suspect", "no heartbeat for 30 s", at.AddSeconds(1)), (hosts[a].State, hosts[a].StateReason, hosts[a].StateSince));
        Assert.Equal(("Ready", at.AddSeconds(1)), (hosts[b].State, hosts[b].StateSince));
        Assert.Equal(["Pending", "Ready", "Suspect"], (await store.TransitionsAsync(a, 10, CancellationToken.None)).Select(t => t.To).ToArray());
        Assert.Empty(await store.TransitionsAsync(ghost, 10, CancellationToken.None));
        await using var ctx = await db.CreateDbContextAsync();
        var changed = await ctx.HostChanges.Where(c => c.Kind == HostChangeKinds.State).Select(c => c.HostId).ToListAsync();
        Assert.Equal([a, b], changed.Order().ToArray());
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

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hosts_InsertedInABatch_ReadBackWithEveryFieldAndTheirChangesNoted(string provider)
    {
        var connection = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        var own = new OwnHostChanges();
        await using var writer = new RegistrationWriter(connection.CreateDbContextFactory(), own);
        var store = new HostStore(connection.CreateDbContextFactory(), writer, own);
        await store.EnsureSchemaAsync(CancellationToken.None);
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        HostRecord Full(int i)
        {
            var h = Host($"host-{i:x12}", at.AddMilliseconds(i));
            h.Latitude = 50.11 + i;
            h.Longitude = -8.68;
            h.PublicIp = "203.0.113." + i;
            h.DriverVersion = "550.54.15";
            h.CudaVersion = "12.4";
            h.CpuModel = "AMD EPYC 9654";
            h.CpuCores = 96 + i;
            h.MemoryMb = 1_548_000 + i;
            h.Simulated = i % 2 == 0;
            h.AgentVersion = "1.2." + i;
            h.LastHeardAt = at.AddSeconds(i);
            h.Gpus.Add(new GpuRecord { HostId = h.Id, Index = 1, Uuid = $"GPU-{h.Id}-1", Model = "L4-24GB", SmiName = "NVIDIA L4", MemoryTotalMib = 23034, PciBusId = "00000000:41:00.0" });
            return h;
        }

        var written = Enumerable.Range(0, 5).Select(Full).ToList();
        await Task.WhenAll(written.Select(h => store.InsertHostAsync(h,
            new HostTransitionRecord { HostId = h.Id, From = "New", To = "Pending", Reason = "registered with 2 GPUs", At = h.RegisteredAt })));

        var loaded = (await store.LoadAllAsync(CancellationToken.None)).ToDictionary(h => h.Id);
        foreach (var w in written)
        {
            var r = loaded[w.Id];
            Assert.Equal((w.Address, w.Fingerprint, w.Hostname, w.Country, w.Region, w.Latitude, w.Longitude, w.PublicIp),
                (r.Address, r.Fingerprint, r.Hostname, r.Country, r.Region, r.Latitude, r.Longitude, r.PublicIp));
            Assert.Equal((w.PriceUsdPerGpuHour, w.DriverVersion, w.CudaVersion, w.CpuModel, w.CpuCores, w.MemoryMb, w.Simulated, w.AgentVersion),
                (r.PriceUsdPerGpuHour, r.DriverVersion, r.CudaVersion, r.CpuModel, r.CpuCores, r.MemoryMb, r.Simulated, r.AgentVersion));
            Assert.Equal((w.State, w.StateReason, w.StateSince, w.RegisteredAt, w.LastHeardAt, w.HeardSince),
                (r.State, r.StateReason, r.StateSince, r.RegisteredAt, r.LastHeardAt, r.HeardSince));
            Assert.Equal(w.Gpus.Select(g => (g.Index, g.Uuid, g.Model, g.SmiName, g.MemoryTotalMib, g.PciBusId)),
                r.Gpus.OrderBy(g => g.Index).Select(g => (g.Index, g.Uuid, g.Model, g.SmiName, g.MemoryTotalMib, g.PciBusId)));
            var transition = Assert.Single(await store.TransitionsAsync(w.Id, 10, CancellationToken.None));
            Assert.Equal(("New", "Pending", "registered with 2 GPUs", w.RegisteredAt), (transition.From, transition.To, transition.Reason, transition.At));
        }

        // Other coordinators follow the change rows; this one passes over those it wrote (their ids were noted).
        var changes = await store.ChangesAfterAsync(0, 100, CancellationToken.None);
        Assert.Equal(written.Select(h => h.Id).Order(), changes.Select(c => c.HostId).Order());
        Assert.All(changes, c => Assert.Equal(HostChangeKinds.Registered, c.Kind));
        Assert.All(changes, c => Assert.True(own.Passes(c.Id), $"change {c.Id} of {c.HostId} was not noted as this coordinator's"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DuplicateGpuUuid_IsRefusedWithNothingOfItStoredAndItsBatchMatesLand(string provider)
    {
        var (store, _, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var holder = Host("host-0000000000b1", at);
        var claimant = Host("host-0000000000b2", at);
        claimant.Gpus[0].Uuid = holder.Gpus[0].Uuid;
        await RegisterAsync(store, holder);

        var mates = Enumerable.Range(0, 8).Select(i => Host($"host-0000000000c{i}", at)).ToList();
        var results = await Task.WhenAll([Capture(RegisterAsync(store, claimant)), .. mates.Select(m => Capture(RegisterAsync(store, m)))]);

        // Registration tells a GPU taken by another coordinator from other failures by this exception's type.
        Assert.IsType<DbUpdateException>(results[0]);
        Assert.All(results.Skip(1), Assert.Null);
        var stored = (await store.LoadAllAsync(CancellationToken.None)).Select(h => h.Id).Order().ToList();
        Assert.Equal([holder.Id, .. mates.Select(m => m.Id)], stored);
        Assert.Empty(await store.TransitionsAsync(claimant.Id, 10, CancellationToken.None));
        Assert.DoesNotContain(claimant.Id, (await store.ChangesAfterAsync(0, 100, CancellationToken.None)).Select(c => c.HostId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LastHeard_OfMoreHostsThanOneStatementTakes_IsWrittenAndReadForEach(string provider)
    {
        var (store, _, writer) = await OpenAsync(provider);
        await using var _w = writer;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var known = Enumerable.Range(0, 3).Select(i => Host($"host-0000000000d{i}", at)).ToList();
        foreach (var h in known)
            await RegisterAsync(store, h);
        // A coordinator of 100,000 hosts flushes and looks up tens of thousands at once: more than SQLite's 32,766
        // parameters in one statement.
        var many = Enumerable.Range(0, 40_000).Select(i => $"gone-{i:x12}").Concat(known.Select(h => h.Id)).ToList();

        await store.TouchHeardAsync(many, at.AddMinutes(5), CancellationToken.None);
        var heard = await store.LastHeardAsync(many, CancellationToken.None);

        Assert.Equal(known.Select(h => (h.Id, at.AddMinutes(5))).Order(), heard.Order());
    }

    /// <summary>Stores a new host as registration does, with its New → Pending transition.</summary>
    private static Task RegisterAsync(HostStore store, HostRecord host) =>
        store.InsertHostAsync(host, new HostTransitionRecord { HostId = host.Id, From = "New", To = "Pending", Reason = "registered", At = host.RegisteredAt });

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
