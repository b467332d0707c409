using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Gpus;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Admits an authenticated agent's host: a new container, or a known one coming back.</summary>
internal sealed class HostRegistration(HostRegistry registry, HostStore store, TimeProvider time)
{
    // Striped locks: two streams for one fingerprint register one at a time; different hosts do not wait.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<HostEntry> RegisterAsync(Address address, HostDescription d, string agentVersion, CancellationToken ct)
    {
        var id = HostId.FromFingerprint(d.Fingerprint).Value;
        var stripe = _stripes[(uint)id.GetHashCode(StringComparison.Ordinal) % _stripes.Length];
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

                var (state, reason, since) = entry.Snapshot();
                var updated = ToRecord(id, address, d, agentVersion, state.ToString(), reason, since, entry.Record.RegisteredAt);
                updated.LastHeardAt = entry.LastHeardAt;
                if (!SameDescription(entry.Record, updated))
                {
                    await store.UpdateHostAsync(updated, ct);
                    entry.ReplaceRecord(updated);
                }

                entry.Touch(now);
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
                    throw;
                var adopted = registry.GetOrAdd(id, () => new HostEntry(stored));
                if (adopted.Record.Address != address.Value)
                {
                    throw new RpcException(new Status(StatusCode.PermissionDenied,
                        $"host {id} (this hardware fingerprint) is registered to {adopted.Record.Address}; a container cannot change owner"));
                }

                adopted.Touch(now);
                return adopted;
            }

            var added = registry.GetOrAdd(id, () => new HostEntry(record));
            added.Touch(now);
            return added;
        }
        finally
        {
            stripe.Release();
        }
    }

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

    private static bool SameDescription(HostRecord a, HostRecord b) =>
        a.Hostname == b.Hostname && a.Country == b.Country && a.Region == b.Region &&
        a.Latitude.Equals(b.Latitude) && a.Longitude.Equals(b.Longitude) && a.PublicIp == b.PublicIp &&
        a.PriceUsdPerGpuHour == b.PriceUsdPerGpuHour && a.DriverVersion == b.DriverVersion &&
        a.CudaVersion == b.CudaVersion && a.CpuModel == b.CpuModel && a.CpuCores == b.CpuCores &&
        a.MemoryMb == b.MemoryMb && a.AgentVersion == b.AgentVersion && a.Simulated == b.Simulated &&
        a.Gpus.Count == b.Gpus.Count &&
        a.Gpus.Zip(b.Gpus).All(p => p.First.Index == p.Second.Index && p.First.Uuid == p.Second.Uuid && p.First.Model == p.Second.Model);
}
