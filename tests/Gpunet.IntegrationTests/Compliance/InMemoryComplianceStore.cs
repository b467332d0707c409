using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Storage;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The compliance store ports in memory, as a shared database would look to each coordinator: what one adds
/// the others read on their next load.</summary>
internal sealed class InMemoryComplianceStore : ICompliancePolicyStore, IKycSubmissionStore, IHostLocationStore
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _firstSave = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<CompliancePolicyRecord> Policies { get; } = [];

    public List<SanctionsListRecord> Lists { get; } = [];

    public List<KycSubmissionRecord> Submissions { get; } = [];

    public Dictionary<string, HostLocationRecord> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>The audit trail location checks are appended to.</summary>
    public InMemoryAuditTrail Audit { get; } = new();

    /// <summary>Completes when the first group of location checks is stored.</summary>
    public Task FirstSave => _firstSave.Task;

    public Task<CompliancePolicyRecord?> LatestPolicyAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(Policies.LastOrDefault());
    }

    public Task<SanctionsListRecord?> LatestSanctionsListAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(Lists.LastOrDefault());
    }

    Task<IReadOnlyList<KycSubmissionRecord>> IKycSubmissionStore.AllAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<KycSubmissionRecord>>([.. Submissions]);
    }

    Task<IReadOnlyList<KycSubmissionRecord>> IKycSubmissionStore.FindAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<KycSubmissionRecord>>([.. Submissions.Where(s => ids.Contains(s.Id))]);
    }

    Task<IReadOnlyList<HostLocationRecord>> IHostLocationStore.AllAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<HostLocationRecord>>([.. Locations.Values]);
    }

    Task<IReadOnlyList<HostLocationRecord>> IHostLocationStore.FindAsync(IReadOnlyCollection<string> hostIds, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<HostLocationRecord>>([.. Locations.Values.Where(l => hostIds.Contains(l.HostId))]);
    }

    public async Task SaveAsync(IReadOnlyList<(HostLocationRecord Record, AuditDraft Decision)> checks, (string List, string Policy) versions, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var (record, _) in checks)
                Locations[record.HostId] = record;
        }

        await Audit.RecordAsync([.. checks.Select(c => c.Decision)], versions, ct);
        _firstSave.TrySetResult();
    }
}
