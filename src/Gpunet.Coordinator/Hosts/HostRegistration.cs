using System.Globalization;
using System.Net;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Gpus;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Admits an authenticated agent's host: a new container, or a known one coming back.</summary>
/// <remarks>A GPU serves one container (<see cref="GpuClaims"/>): a registration claiming a GPU another host holds is
/// refused, or the GPU moves to it from the same operator's silent host. This coordinator's memory answers first; the
/// store is asked when memory sees a conflict, when the store's unique index on a GPU's UUID refuses a write (another
/// coordinator admitted the GPU), and when a host comes back after a silence in which its GPUs may have moved.
/// Identity: the fingerprint was recomputed by <see cref="HostDescriptionValidator"/>; here a fingerprint live from
/// another address (<see cref="ClonedFingerprints"/>) and a GPU a live host holds (<see cref="GpuClaims"/>) are refused,
/// and the live host is flagged (<see cref="IdentityFlags"/>) and the conflict audited.</remarks>
internal sealed partial class HostRegistration(
    HostRegistry registry, HostStore store, IdentityFlags identity, ComplianceService compliance,
    IOptions<HostsOptions> options, TimeProvider time, ILogger<HostRegistration> log) : IDisposable
{
    // Two streams for one fingerprint register one at a time; different hosts rarely wait. A gate is held across the
    // host's group commit (tens of milliseconds), so two hosts sharing one wait a whole commit: 4,096 gates keep that
    // rare in a reconnect storm (64 gates, the default, made 6 in 10 of 64 concurrent registrations wait).
    private readonly KeyedGates _registrations = new(4096);
    private readonly TimeSpan _offlineGracePeriod = options.Value.OfflineGracePeriod;
    private readonly TimeSpan _liveWithin = options.Value.HeartbeatInterval * options.Value.SuspectAfterMissedHeartbeats;

    /// <summary>Registers the host <paramref name="d"/> describes for <paramref name="address"/>, connecting from
    /// <paramref name="place"/> (its public address as this coordinator sees it; null when unknown).</summary>
    public async Task<HostEntry> RegisterAsync(Address address, HostDescription d, string agentVersion, IPAddress? place, CancellationToken ct)
    {
        var id = HostId.FromFingerprint(d.Fingerprint).Value;
        var stripe = _registrations.Of(id);
        await stripe.WaitAsync(ct);
        try
        {
            var now = StoreTime.Now(time);
            if (registry.TryGet(id, out var entry))
            {
                if (entry.Record.Address != address.Value)
                {
                    throw new RpcException(new Status(StatusCode.PermissionDenied,
                        $"host {id} (this hardware fingerprint) is registered to {entry.Record.Address}; a container cannot change owner"));
                }

                await RefuseCloneAsync(entry, address, place, now, ct);
                var (state, reason, since) = entry.Snapshot();
                var updated = ToRecord(id, address, d, agentVersion, state.ToString(), reason, since, entry.Record.RegisteredAt);
                updated.LastHeardAt = entry.LastHeardAt;
                // After a silence of the grace period its GPUs may have moved to another container (through any
                // coordinator): the store says who holds them now.
                var silent = !entry.Connected && (entry.LastHeardAt is not { } heard || now - heard >= _offlineGracePeriod);
                var moved = await ClaimGpusAsync(id, address, d, askStore: silent, now, ct);
                if (moved || !SameDescription(entry.Record, updated))
                {
                    try
                    {
                        await store.UpdateHostAsync(updated, now, ct);
                    }
                    catch (DbUpdateException)
                    {
                        // Another coordinator admitted one of these GPUs meanwhile: refused, or moved here and written again.
                        if (!await ClaimGpusAsync(id, address, d, askStore: true, now, ct))
                            throw;
                        await store.UpdateHostAsync(updated, now, ct);
                    }

                    registry.Replace(entry, updated);
                }

                entry.Touch(now);
                entry.Place = place;
                return entry;
            }

            var summary = Summarise(d);
            var record = ToRecord(id, address, d, agentVersion, nameof(HostState.Pending),
                $"registered with {summary}; waiting for the first heartbeat", now, now);
            record.LastHeardAt = now;
            var transition = new HostTransitionRecord
            {
                HostId = id, From = "New", To = nameof(HostState.Pending), Reason = $"registered with {summary}", At = now,
            };
            await ClaimGpusAsync(id, address, d, askStore: false, now, ct);
            try
            {
                // Not cancelled with the handshake: a queued row is written, and memory must then know the host.
                await store.InsertHostAsync(record, transition);
            }
            catch (DbUpdateException)
            {
                // Already stored (another coordinator on the same database registered it): adopt the stored row.
                var stored = await store.FindByFingerprintAsync(d.Fingerprint, CancellationToken.None);
                if (stored is null)
                {
                    // Or one of its GPUs is (the unique index on a GPU's UUID): refused, or moved here and written again.
                    if (!await ClaimGpusAsync(id, address, d, askStore: true, now, CancellationToken.None))
                        throw;
                    await store.InsertHostAsync(record, transition);
                    return Added(id, record, now, place);
                }

                var adopted = registry.GetOrAdd(id, () => new HostEntry(stored));
                if (adopted.Record.Address != address.Value)
                {
                    throw new RpcException(new Status(StatusCode.PermissionDenied,
                        $"host {id} (this hardware fingerprint) is registered to {adopted.Record.Address}; a container cannot change owner"));
                }

                adopted.Touch(now);
                adopted.Place = place;
                return adopted;
            }

            return Added(id, record, now, place);
        }
        finally
        {
            stripe.Release();
        }
    }

    private HostEntry Added(string id, HostRecord record, DateTimeOffset now, IPAddress? place)
    {
        var added = registry.GetOrAdd(id, () => new HostEntry(record));
        added.Touch(now);
        added.Place = place;
        return added;
    }

    /// <summary>Refuses a registration of a host that is live from another address (a cloned machine), flagging the host
    /// and recording both addresses in the audit log.</summary>
    private async Task RefuseCloneAsync(HostEntry entry, Address address, IPAddress? place, DateTimeOffset now, CancellationToken ct)
    {
        var live = entry.Place;
        var decision = ClonedFingerprints.Decide(entry.Id, new LiveConnection(live, entry.Connected, entry.LastHeardAt), place, now, _liveWithin);
        if (decision is not { Refusal: { } refusal, Flag: { } flag })
            return;
        identity.Raise(entry.Id, new IdentityFlag(IdentityHold.ClonedFingerprint, place!.ToString(), flag, now));
        LogCloned(log, entry.Id, live!.ToString(), place.ToString());
        await compliance.RecordAsync(entry.Id, IdentityHold.ClonedFingerprint,
            new { operatorAddress = address.Value, liveFrom = live.ToString(), registeringFrom = place.ToString() },
            $"flagged: {flag}; the registration from {place} was refused", "host-registration", ct);
        throw new RpcException(new Status(StatusCode.FailedPrecondition, "host.fingerprint: " + refusal));
    }

    /// <summary>Flags a live host whose GPU another registration claimed, and records both sides in the audit log.</summary>
    private async Task FlagDoubleClaimAsync(string claimantId, Address claimant, GpuHolder holder, string refusal, DateTimeOffset now, CancellationToken ct)
    {
        var reason = $"GPU {holder.Uuid} is also claimed by host {claimantId}; not matched while both claim it";
        identity.Raise(holder.HostId, new IdentityFlag(IdentityHold.GpuDoubleClaim, claimantId, reason, now));
        LogDoubleClaim(log, holder.Uuid, holder.HostId, claimantId, claimant.Value);
        var inputs = new { gpu = holder.Uuid, holder = holder.HostId, holderOperator = holder.Address, claimant = claimantId, claimantOperator = claimant.Value };
        await compliance.RecordAsync(
        [
            new AuditDraft(holder.HostId, IdentityHold.GpuDoubleClaim, inputs, $"flagged: {reason}", "host-registration"),
            new AuditDraft(claimantId, IdentityHold.GpuDoubleClaim, inputs, $"refused: {refusal}", "host-registration"),
        ], ct);
    }

    /// <summary>Applies the one-container rule to the GPUs host <paramref name="id"/> claims: throws the refusal, or
    /// takes the GPUs from the same operator's silent hosts. Returns whether any GPU moved to this host.</summary>
    /// <param name="askStore">Ask the store even when this coordinator knows no other holder.</param>
    private async Task<bool> ClaimGpusAsync(string id, Address address, HostDescription d, bool askStore, DateTimeOffset now, CancellationToken ct)
    {
        var known = d.Gpus.Any(g => registry.GpuHolder(g.Uuid) is { } holder && holder != id);
        if (!known && !askStore)
            return false;

        // The store is the truth (another coordinator may have moved a GPU); this coordinator adds what it heard since.
        var stored = await store.GpuHoldersAsync([.. d.Gpus.Select(g => g.Uuid)], id, ct);
        var index = d.Gpus.ToDictionary(g => g.Uuid, g => g.Index, StringComparer.Ordinal);
        var holders = stored.Select(h => registry.TryGet(h.HostId, out var e)
            ? h with { LastHeardAt = Latest(h.LastHeardAt, e.LastHeardAt), Connected = e.Connected }
            : h).OrderBy(h => index[h.Uuid]).ToList();
        if (holders.Count == 0)
            return false;

        var decision = GpuClaims.Decide(address.Value, holders, now, _offlineGracePeriod);
        if (decision.RefusedBy is { } refusedBy)
        {
            if (decision.HolderFlagged)
                await FlagDoubleClaimAsync(id, address, refusedBy, decision.Refusal!, now, ct);
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                string.Create(CultureInfo.InvariantCulture, $"host.gpus[{index[refusedBy.Uuid]}].uuid: {decision.Refusal}")));
        }

        foreach (var from in decision.Released.GroupBy(h => h.HostId))
        {
            var uuids = from.Select(h => h.Uuid).ToHashSet(StringComparer.Ordinal);
            await store.ReleaseGpusAsync(from.Key, uuids, now, ct);
            if (registry.TryGet(from.Key, out var holder))
            {
                registry.Replace(holder, holder.Record.WithGpus([.. holder.Record.Gpus.Where(g => !uuids.Contains(g.Uuid))]));
            }

            LogGpusMoved(log, uuids.Count, from.Key, id, address.Value);
        }

        return true;
    }

    public void Dispose() => _registrations.Dispose();

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "{Count} GPU(s) moved from silent host {From} to host {To} of the same operator {Address} (a new container on the same GPUs)")]
    private static partial void LogGpusMoved(ILogger logger, int count, string from, string to, string address);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning,
        Message = "Cloned fingerprint: host {HostId} is live from {LiveFrom} and registered again from {From}; refused, host flagged")]
    private static partial void LogCloned(ILogger logger, string hostId, string liveFrom, string from);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning,
        Message = "GPU {Uuid} of live host {HolderId} claimed by host {ClaimantId} of {Address}; refused, holder flagged")]
    private static partial void LogDoubleClaim(ILogger logger, string uuid, string holderId, string claimantId, string address);

    /// <summary>"8×H100-SXM5-80GB" or "2×RTX-4090-24GB + 1×L4-24GB".</summary>
    public static string Summarise(HostDescription d) => string.Join(" + ",
        d.Gpus.GroupBy(g => g.Model).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()}×{g.Key}")));

    private static HostRecord ToRecord(string id, Address address, HostDescription d, string agentVersion,
        string state, string reason, DateTimeOffset since, DateTimeOffset registeredAt) => new()
    {
        Id = id,
        Address = address.Value,
        Fingerprint = d.Fingerprint,
        Hostname = d.Hostname,
        Country = d.Country.ToUpperInvariant(),
        Region = d.Region,
        Latitude = d.Latitude,
        Longitude = d.Longitude,
        PublicIp = d.PublicIp,
        PriceUsdPerGpuHour = Math.Round((decimal)d.PriceUsdPerGpuHour, 4),
        DriverVersion = d.DriverVersion,
        CudaVersion = d.CudaVersion,
        CpuModel = d.CpuModel,
        CpuCores = d.CpuCores,
        MemoryMb = d.MemoryMb,
        Simulated = d.Simulated,
        AgentVersion = agentVersion,
        State = state,
        StateReason = reason,
        StateSince = since,
        RegisteredAt = registeredAt,
        Gpus = [.. d.Gpus.OrderBy(g => g.Index).Select(g => new GpuRecord
        {
            HostId = id, Index = g.Index, Uuid = g.Uuid, Model = GpuCatalog.TryGet(g.Model, out var m) ? m.Name : g.Model,
            SmiName = g.SmiName, MemoryTotalMib = g.MemoryTotalMib, PciBusId = g.PciBusId,
        })],
    };

    /// <summary>Whether two records describe the host alike (everything registration writes but its owner).</summary>
    internal static bool SameDescription(HostRecord a, HostRecord b) =>
        a.Hostname == b.Hostname && a.Country == b.Country && a.Region == b.Region &&
        a.Latitude.Equals(b.Latitude) && a.Longitude.Equals(b.Longitude) && a.PublicIp == b.PublicIp &&
        a.PriceUsdPerGpuHour == b.PriceUsdPerGpuHour && a.DriverVersion == b.DriverVersion &&
        a.CudaVersion == b.CudaVersion && a.CpuModel == b.CpuModel && a.CpuCores == b.CpuCores &&
        a.MemoryMb == b.MemoryMb && a.AgentVersion == b.AgentVersion && a.Simulated == b.Simulated &&
        a.Gpus.Count == b.Gpus.Count &&
        a.Gpus.Zip(b.Gpus).All(p => p.First.Index == p.Second.Index && p.First.Uuid == p.Second.Uuid && p.First.Model == p.Second.Model);
}
