using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The location checks' group commit (a reconnect storm's new hosts), the same on SQLite and PostgreSQL.</summary>
public sealed class HostLocationStoreTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);

    private static HostLocationRecord Check(string hostId, string check, string? cleared = null) => new()
    {
        HostId = hostId, Address = "203.0.113.7", Source = "connection", ResolvedCountry = "DE", DeclaredCountry = "DE", Check = check,
        Detail = check, DatabaseVersion = "test", CheckedAt = T0, ClearedBy = cleared, ClearedAt = cleared is null ? null : T0,
        ClearedReason = cleared is null ? null : "seen on site",
    };

    private static (HostLocationRecord, AuditDraft) Located(HostLocationRecord r) =>
        (r, new AuditDraft(r.HostId, "location-check", new { address = r.Address }, r.Check, "geoip"));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Save_NewHostsInOneBatch_StoresEachHostsLastCheckAndEveryAuditEntry(string provider)
    {
        var db = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(db, CancellationToken.None);
        using var audit = new AuditLog(db, TimeProvider.System, NullLogger<AuditLog>.Instance);
        var store = new EfHostLocationStore(db, audit);

        // host-a is located twice in the batch (it reconnected): the second check is the one kept.
        await store.SaveAsync([
            Located(Check("host-a", "Match")), Located(Check("host-b", "Unresolved")), Located(Check("host-a", "Mismatch")),
        ], ("list-1", "policy-1"), CancellationToken.None);
        // A later batch changes a stored check; the officer's clearance of host-b is written with it.
        await store.SaveAsync([Located(Check("host-b", "Mismatch", cleared: "officer"))], ("list-1", "policy-1"), CancellationToken.None);

        var stored = (await store.AllAsync(CancellationToken.None)).ToDictionary(l => l.HostId);
        Assert.Equal(["host-a", "host-b"], stored.Keys.Order().ToArray());
        Assert.Equal("Mismatch", stored["host-a"].Check);
        Assert.Equal(("Mismatch", "officer", T0), (stored["host-b"].Check, stored["host-b"].ClearedBy, stored["host-b"].ClearedAt));
        Assert.Equal(4, (await audit.ListAsync(null, 10, CancellationToken.None)).Count);
        Assert.True((await audit.VerifyAsync(CancellationToken.None)).Valid);
    }
}
