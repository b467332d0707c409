using Gpunet.Coordinator.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Auth;

/// <summary>Makes the network's first token-protection key, once, before any coordinator of the network protects a token.</summary>
/// <remarks>
/// Left to itself, each coordinator that finds the ring empty makes a key and uses it at once. Two starting together
/// would each make one; each re-reads the ring after making its own, so the slower one knows both, but the faster one
/// may not know the other's key until its ring refreshes a day later, and refuses the tokens signed with it. So the
/// first key is made here, in a transaction that holds the ring's turn (PostgreSQL: an advisory lock; SQLite: the write
/// lock): the second coordinator waits, finds the key and makes none. Later keys are made by the framework ahead of
/// time (two days before the current one expires, activated at its expiry), so every coordinator's daily refresh reads
/// them before they are used; two coordinators making one each then is harmless, both are in every ring.
/// Registered before the framework's own start-up service, which reads the ring (and would make the key).
/// </remarks>
internal sealed partial class KeyRingStartup(
    IDbContextFactory<GpunetDb> dbFactory, StoredKeyRepository repository, IKeyManager keys, IOptions<KeyManagementOptions> options,
    ILogger<KeyRingStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('gpunet-key-ring'))", cancellationToken);
        if (await db.DataProtectionKeys.AnyAsync(cancellationToken))
            return;
        // The framework judges a key's activation and expiry by the system clock, not the coordinator's TimeProvider (a
        // test's fake clock): the key must be dated by the same clock, or it would be made already expired or not yet active.
        var now = TimeProvider.System.GetUtcNow();
        var key = repository.WritingThrough(db, () => keys.CreateNewKey(now, now + options.Value.NewKeyLifetime));
        await tx.CommitAsync(cancellationToken);
        LogFirstKey(log, key.KeyId, key.ExpirationDate);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "Made the network's first token-protection key {KeyId}, good until {Expires:u}")]
    private static partial void LogFirstKey(ILogger logger, Guid keyId, DateTimeOffset expires);
}
