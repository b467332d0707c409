using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Sanctions;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The compliance policy and the sanctions list in force, and the versions every decision is stamped with.</summary>
/// <remarks>Thread-safe: readers see one policy or the next, never half of one (each is swapped whole).</remarks>
internal sealed class PolicyInForce(ICompliancePolicyStore store)
{
    private CompliancePolicyEvaluator _evaluator = new(CompliancePolicy.Default);
    private CompliancePolicyRecord _policyRecord = DefaultPolicyRecord();
    private SanctionsScreener _screener = new(SanctionsList.Empty);
    private SanctionsListRecord? _listRecord;

    public CompliancePolicyEvaluator Evaluator => Volatile.Read(ref _evaluator);

    public CompliancePolicyRecord PolicyRecord => Volatile.Read(ref _policyRecord);

    public SanctionsScreener Screener => Volatile.Read(ref _screener);

    /// <summary>The sanctions list in force: null while the shipped sample is (nothing imported yet).</summary>
    public SanctionsListRecord? ListRecord => Volatile.Read(ref _listRecord);

    /// <summary>The versions stamped on every decision.</summary>
    public (string List, string Policy) Versions => (Screener.List.Version, Evaluator.Policy.Version);

    /// <summary>Takes the newest policy and list from the store where they differ from those in force (the shipped sample
    /// list while none was imported).</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        var policy = await store.LatestPolicyAsync(ct);
        if (policy is not null && policy.Version != PolicyRecord.Version && CompliancePolicyParser.Parse(policy.Yaml) is ({ } parsed, _))
            Use(parsed, policy);

        var list = await store.LatestSanctionsListAsync(ct);
        if (list is not null && list.Version != ListRecord?.Version)
            Use(SdnCsvParser.Parse(list.Sdn, list.Alt), list);
        else if (list is null && Screener.List.Entries.Count == 0)
            Volatile.Write(ref _screener, new SanctionsScreener(SampleSanctionsList.Load()));
    }

    /// <summary>Puts <paramref name="policy"/> in force (stored as <paramref name="record"/>).</summary>
    public void Use(CompliancePolicy policy, CompliancePolicyRecord record)
    {
        Volatile.Write(ref _evaluator, new CompliancePolicyEvaluator(policy));
        Volatile.Write(ref _policyRecord, record);
    }

    /// <summary>Puts <paramref name="list"/> in force (stored as <paramref name="record"/>).</summary>
    public void Use(SanctionsList list, SanctionsListRecord record)
    {
        Volatile.Write(ref _screener, new SanctionsScreener(list));
        Volatile.Write(ref _listRecord, Summary(record));
    }

    // The list's facts without its text (megabytes for a full list), which only the screener needs.
    private static SanctionsListRecord Summary(SanctionsListRecord r) => new()
    {
        Id = r.Id, Version = r.Version, Sdn = "", Alt = null, Entries = r.Entries, ImportedAt = r.ImportedAt, ImportedBy = r.ImportedBy,
    };

    private static CompliancePolicyRecord DefaultPolicyRecord() => new()
    {
        Version = CompliancePolicy.Default.Version, Yaml = CompliancePolicyParser.DefaultYaml, AppliedAt = DateTimeOffset.UnixEpoch, AppliedBy = "default",
    };
}
