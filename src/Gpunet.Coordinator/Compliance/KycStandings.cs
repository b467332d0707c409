using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Every participant's KYC/KYB standing: the newest submission of each, and what it means now.</summary>
/// <remarks>Thread-safe. A load swaps the whole view at once; submissions this coordinator decides while the store is
/// read are laid over what was read, so none is lost.</remarks>
internal sealed class KycStandings(IKycSubmissionStore store, IOptions<ComplianceOptions> options, TimeProvider time)
{
    // The same submission decided replaces itself (a stored time may have lost precision); another replaces it only
    // if newer.
    private readonly LoadedView<KycSubmissionRecord> _latest = new(s => s.Address,
        static (known, arriving) => known.Id != arriving.Id && Newer(known, arriving) ? known : arriving);

    /// <summary>A participant's standing now (an approval past its validity reads as Expired).</summary>
    public ParticipantKyc KycOf(string address)
    {
        if (_latest.Get(address) is not { } s)
            return new ParticipantKyc(options.Value.ApproveAllKyc ? KycState.Approved : KycState.Unverified, null, null, null);
        return new ParticipantKyc(KycLifecycle.EffectiveState(StatusOf(s), time.GetUtcNow()), s.Country, s.ParentCountry, s.Id);
    }

    /// <summary>The newest submission of <paramref name="address"/>, if any.</summary>
    public KycSubmissionRecord? LatestOf(string address) => _latest.Get(address);

    /// <summary>A stored submission's status, as the core's KYC lifecycle reads it.</summary>
    public static KycStatus StatusOf(KycSubmissionRecord s) =>
        new(Enum.Parse<KycState>(s.State), s.SubmittedAt, s.DecidedAt, s.ExpiresAt, s.Final, s.Reason);

    /// <summary>Records a submission (or decision) that was committed.</summary>
    public void Remember(KycSubmissionRecord s) => _latest.Remember(s);

    /// <summary>Reads every submission from the store and swaps the view.</summary>
    public Task LoadAsync(CancellationToken ct) => _latest.LoadAsync(store.AllAsync, ct);

    /// <summary>Reads these submissions again (another coordinator decided them).</summary>
    public async Task ReloadAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        foreach (var s in await store.FindAsync(ids, ct))
            Remember(s);
    }

    private static bool Newer(KycSubmissionRecord a, KycSubmissionRecord b) =>
        a.SubmittedAt > b.SubmittedAt || (a.SubmittedAt == b.SubmittedAt && string.CompareOrdinal(a.Id, b.Id) > 0);
}
