using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Verification;

/// <summary>Takes the probe refusals a host's agent reports: one that names a licensed checker assigned to that check of
/// this host, refused after the checker's signature held, is recorded in check_refusals against the checker; any other
/// is the host's claim, logged and counted, and changes nothing. Each host stream takes at most
/// <see cref="PerMinute"/> a minute, so a hostile host cannot fill the table.</summary>
internal sealed partial class ProbeRefusalIntake(
    IDbContextFactory<GpunetDb> store, CheckBook book, CheckerLicences licences, TimeProvider time, ILogger<ProbeRefusalIntake> log)
{
    /// <summary>Refusals one host stream may report a minute (and at once); the rest are ignored.</summary>
    public const int PerMinute = 100;

    private long _recorded;
    private long _claims;
    private long _overCap;

    /// <summary>Refusals recorded against a checker.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>Refusals taken as the host's claim only (they named no assigned, licensed checker, or came before the
    /// signature held).</summary>
    public long HostClaims => Interlocked.Read(ref _claims);

    /// <summary>Refusals ignored: over a stream's <see cref="PerMinute"/>.</summary>
    public long OverCap => Interlocked.Read(ref _overCap);

    /// <summary>A new stream's allowance (not thread-safe: one per stream, used by its reader only).</summary>
    public TokenBucket Allowance() => new(PerMinute / 60.0, PerMinute, time.GetUtcNow());

    /// <summary>Takes a batch from host <paramref name="hostId"/>'s stream, within <paramref name="allowance"/>.</summary>
    public async Task TakeAsync(string hostId, ProbeRefusals batch, TokenBucket allowance, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(allowance);
        if (batch.Dropped > 0)
            LogDroppedOnHost(log, hostId, batch.Dropped);
        var now = time.GetUtcNow();
        var recorded = new List<CheckRefusalRecord>();
        await using var db = await store.CreateDbContextAsync(ct);
        for (var i = 0; i < batch.Refusals.Count; i++)
        {
            if (!allowance.TryTake(now))
            {
                var ignored = batch.Refusals.Count - i;
                Interlocked.Add(ref _overCap, ignored);
                LogOverCap(log, hostId, ignored, PerMinute);
                break;
            }

            var refused = batch.Refusals[i];
            var checkId = refused.CheckId ?? "";
            var (checkHost, assigned) = await FindCheckAsync(db, checkId, ct);
            // Pure rules first; the licence (a query) only for a checker that passed them all.
            var verdict = ProbeRefusalClaims.Attribute(hostId, refused.Reason, refused.Checker, checkHost, assigned);
            if (verdict.Checker is { } named && !await licences.IsLicensedAsync(named.Value, ct))
                verdict = ProbeRefusalClaims.Unlicensed(named);
            if (verdict.Checker is not { } against)
            {
                Interlocked.Increment(ref _claims);
                LogHostClaim(log, hostId, Cut(checkId, 64), Cut(refused.Checker ?? "", 64), Cut(refused.Reason ?? "", 32), verdict.Why);
                continue;
            }

            recorded.Add(new CheckRefusalRecord
            {
                Checker = against.Value, CheckId = checkId, At = StoreTime.Now(time),
                Reason = $"host {hostId} refused a probe: {verdict.Reason} (reported by the host)",
            });
        }

        if (recorded.Count == 0)
            return;
        db.CheckRefusals.AddRange(recorded);
        await db.SaveChangesAsync(ct);
        Interlocked.Add(ref _recorded, recorded.Count);
        foreach (var r in recorded)
            LogRecorded(log, r.Checker, r.CheckId, hostId, r.Reason);
    }

    /// <summary>The host the check is of and its assigned checkers; a null host when there is no such check.</summary>
    private async Task<(string? Host, IReadOnlyCollection<Address> Assigned)> FindCheckAsync(GpunetDb db, string checkId, CancellationToken ct)
    {
        if (checkId.Length is 0 or > 32)
            return (null, []);
        if (book.TryGet(checkId, out var open))
            return (open.Record.HostId, open.Checkers);
        var stored = await db.Checks.AsNoTracking().Where(c => c.Id == checkId).Select(c => new { c.HostId, c.Checkers }).SingleOrDefaultAsync(ct);
        if (stored is null)
            return (null, []);
        return (stored.HostId, [.. stored.Checkers.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => Address.TryParse(a, out var x) ? x : default)]);
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    [LoggerMessage(EventId = 7030, Level = LogLevel.Warning, Message = "Checker {Checker} refused on check {CheckId} by host {HostId}: {Reason}")]
    private static partial void LogRecorded(ILogger logger, string checker, string checkId, string hostId, string reason);

    [LoggerMessage(EventId = 7031, Level = LogLevel.Information, Message = "Host {HostId} reports a refused probe (check {CheckId}, checker {Checker}, {Reason}), counted against nobody: {Why}")]
    private static partial void LogHostClaim(ILogger logger, string hostId, string checkId, string checker, string reason, string why);

    [LoggerMessage(EventId = 7032, Level = LogLevel.Warning, Message = "Host {HostId} reported {Ignored} probe refusals past its {PerMinute} a minute: ignored")]
    private static partial void LogOverCap(ILogger logger, string hostId, int ignored, int perMinute);

    [LoggerMessage(EventId = 7033, Level = LogLevel.Information, Message = "Host {HostId} dropped {Dropped} probe refusals before reporting them (more than a batch holds)")]
    private static partial void LogDroppedOnHost(ILogger logger, string hostId, long dropped);
}
