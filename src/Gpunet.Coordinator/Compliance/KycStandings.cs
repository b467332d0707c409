using System.Collections.Concurrent;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Every participant's KYC/KYB standing: the newest submission of each, and what it means now.</summary>
/// <remarks>Thread-safe. A load swaps the whole view at once; submissions this coordinator decides while the store is
/// read are laid over what was read, so none is lost.</remarks>
internal sealed class KycStandings(IKycSubmissionStore store, IOptions<ComplianceOptions> options, TimeProvider time)
{
    private readonly Lock _swap = new();
    private ConcurrentDictionary<string, KycSubmissionRecord> _latest = new(StringComparer.Ordinal);
    private List<KycSubmissionRecord>? _duringLoad;

    /// <summary>A participant's standing now (an approval past its validity reads as Expired).</summary>
    public ParticipantKyc KycOf(string address)
    {
        if (!_latest.TryGetValue(address, out var s))
            return new ParticipantKyc(options.Value.ApproveAllKyc ? KycState.Approved : KycState.Unverified, null, null, null);
        return new ParticipantKyc(KycLifecycle.EffectiveState(StatusOf(s), time.GetUtcNow()), s.Country, s.ParentCountry, s.Id);
    }

    /// <summary>The newest submission of <paramref name="address"/>, if any.</summary>
    public KycSubmissionRecord? LatestOf(string address) => _latest.GetValueOrDefault(address);

    /// <summary>A stored submission's status, as the core's KYC lifecycle reads it.</summary>
    public static KycStatus StatusOf(KycSubmissionRecord s) =>
        new(Enum.Parse<KycState>(s.State), s.SubmittedAt, s.DecidedAt, s.ExpiresAt, s.Final, s.Reason);

    /// <summary>Records a submission (or decision) that was committed.</summary>
    public void Remember(KycSubmissionRecord s)
    {
        lock (_swap)
        {
            Lay(_latest, s);
            _duringLoad?.Add(s);
        }
    }

    /// <summary>Reads every submission from the store and swaps the view.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        lock (_swap)
            _duringLoad = [];
        try
        {
            var latest = new ConcurrentDictionary<string, KycSubmissionRecord>(StringComparer.Ordinal);
            foreach (var s in await store.AllAsync(ct))
            {
                if (!latest.TryGetValue(s.Address, out var known) || Newer(s, known))
                    latest[s.Address] = s;
            }

            lock (_swap)
            {
                foreach (var s in _duringLoad!)
                    Lay(latest, s);
                _latest = latest;
            }
        }
        finally
        {
            lock (_swap)
                _duringLoad = null;
        }
    }

    /// <summary>Reads these submissions again (another coordinator decided them).</summary>
    public async Task ReloadAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        foreach (var s in await store.FindAsync(ids, ct))
            Remember(s);
    }

    private static bool Newer(KycSubmissionRecord a, KycSubmissionRecord b) =>
        a.SubmittedAt > b.SubmittedAt || (a.SubmittedAt == b.SubmittedAt && string.CompareOrdinal(a.Id, b.Id) > 0);

    // The same submission decided replaces itself (a stored time may have lost precision); another replaces it only
    // if newer.
    private static void Lay(ConcurrentDictionary<string, KycSubmissionRecord> latest, KycSubmissionRecord s) =>
        latest.AddOrUpdate(s.Address, s, (_, known) => known.Id != s.Id && Newer(known, s) ? known : s);
}
