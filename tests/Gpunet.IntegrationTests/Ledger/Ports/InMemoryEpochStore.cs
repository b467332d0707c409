using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;

namespace Gpunet.IntegrationTests.Ledger.Ports;

/// <summary>An epoch's inputs and a settlement's rows in memory: what a settlement writes becomes visible only when the
/// ledger batch it rides in commits; an epoch is settled once.</summary>
internal sealed class InMemoryEpochStore : IEpochInputs, ISettlementStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, EpochRecord> _epochs = [];
    private long? _first;

    public List<EpochHost> Hosts { get; } = [];

    public List<(string HostId, HostState To, DateTimeOffset At)> Transitions { get; } = [];

    /// <summary>Usage not yet settled: lease, host, billed milliseconds, received at.</summary>
    public List<(string LeaseId, string HostId, long Ms, DateTimeOffset ReceivedAt)> Usage { get; } = [];

    /// <summary>Every lease's billing, with the lease's end and host.</summary>
    public List<OpenLeaseBilling> Leases { get; } = [];

    /// <summary>Vesting tranches as last written: a settlement writes only the ones it changed.</summary>
    public List<VestingTranche> Tranches { get; } = [];

    public IReadOnlyDictionary<long, EpochRecord> Epochs
    {
        get
        {
            lock (_lock)
                return new Dictionary<long, EpochRecord>(_epochs);
        }
    }

    public Task<long> FirstEpochAsync(long proposed, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(_first ??= proposed);
    }

    public Task<long?> LastSettledAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(_epochs.Count == 0 ? (long?)null : _epochs.Keys.Max());
    }

    public Task<bool> IsSettledAsync(long epoch, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(_epochs.ContainsKey(epoch));
    }

    public Task<EpochRows> ReadAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        lock (_lock)
        {
            var usage = Usage.Where(u => u.ReceivedAt < end).ToList();
            return Task.FromResult(new EpochRows(
                usage.GroupBy(u => u.LeaseId).ToDictionary(g => g.Key, g => g.Sum(u => u.Ms)),
                usage.GroupBy(u => u.HostId).ToDictionary(g => g.Key, g => g.Sum(u => u.Ms) / 1000),
                [.. Transitions.Where(t => t.At < end).OrderBy(t => t.HostId, StringComparer.Ordinal).ThenBy(t => t.At)],
                [.. Hosts], [.. Leases.Where(l => l.Billing.ClosedEpoch is null)], [.. Tranches], [], []));
        }
    }

    public SettlementCommit Commit(SettlementWrite write) => new((_, _, _) =>
    {
        lock (_lock)
        {
            if (_epochs.ContainsKey(write.Record.Epoch))
                throw new InvalidOperationException($"epoch {write.Record.Epoch} is settled already");
        }

        return Task.CompletedTask;
    }, (_, tx, results, _) =>
    {
        write.TakeHolds(results);
        ((InMemoryTransaction)tx).OnCommit(() =>
        {
            lock (_lock)
            {
                _epochs.Add(write.Record.Epoch, write.Record);
                Usage.RemoveAll(u => u.ReceivedAt < write.Record.End);
                Tranches.RemoveAll(t => write.Tranches.Removed.Contains((t.Owner, t.Epoch))
                    || write.Tranches.Updated.Any(u => u.Owner == t.Owner && u.Epoch == t.Epoch));
                Tranches.AddRange(write.Tranches.Updated);
                Tranches.AddRange(write.Tranches.Inserted);
                for (var i = 0; i < Leases.Count; i++)
                {
                    if (write.Billing.TryGetValue(Leases[i].Billing.LeaseId, out var after))
                        Leases[i] = Leases[i] with { Billing = after };
                }
            }
        });
        return Task.CompletedTask;
    });
}
