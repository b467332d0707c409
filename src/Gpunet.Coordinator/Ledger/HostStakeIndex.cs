using System.Collections.Concurrent;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Every container's durable stake, readable from any thread without waiting (the matcher reads it for every
/// placement), and a version that changes whenever some stake does.</summary>
/// <remarks>Written only by the ledger's writer, after a batch commits or the ledger reloads.</remarks>
internal sealed class HostStakeIndex
{
    private readonly ConcurrentDictionary<string, long> _stake = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>The stake a container (host id) has.</summary>
    public TokenAmount Of(string hostId) => TokenAmount.FromBaseUnits(_stake.GetValueOrDefault(hostId));

    /// <summary>Changes whenever some container's stake changes.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Takes the balances of these accounts where they are containers' stakes.</summary>
    public void Note(IEnumerable<LedgerAccount> accounts)
    {
        var changed = false;
        foreach (var a in accounts)
        {
            if (a.Key.Kind != AccountOwnerKind.Host)
                continue;
            _stake[a.Key.Owner] = a.Balance.BaseUnits;
            changed = true;
        }

        if (changed)
            Interlocked.Increment(ref _version);
    }

    /// <summary>Replaces the whole index with these accounts' stakes, in place (the matcher reads it meanwhile: a
    /// cleared map would pause every host for a moment).</summary>
    public void Reset(IReadOnlyList<LedgerAccount> accounts)
    {
        Note(accounts);
        var hosts = accounts.Where(a => a.Key.Kind == AccountOwnerKind.Host).Select(a => a.Key.Owner).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _stake.Keys.Where(k => !hosts.Contains(k)).ToList())
            _stake.TryRemove(gone, out _);
    }
}
