using System.Collections.Concurrent;
using System.Net;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Hosts;
using Gpunet.Core.Sanctions;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>What compliance knows now (the policy and sanctions list in force, every participant's KYC/KYB standing,
/// every host's location check) and the decisions that read them: host holds and the order gate.</summary>
/// <remarks>Thread-safe. The store is the truth: every change commits with its audit entry and bumps a version that
/// other coordinators on the same database notice (<see cref="RefreshIfChangedAsync"/>) and reload. The rules are the
/// core's (<see cref="HostClearance"/>, <see cref="OrderGate"/>); what is known is kept by <see cref="PolicyInForce"/>,
/// <see cref="KycStandings"/> and <see cref="HostLocations"/>.</remarks>
internal sealed class ComplianceService(
    PolicyInForce policy,
    KycStandings kyc,
    HostLocations locations,
    RoundTripFlags roundTrips,
    IAuditTrail audit,
    IOptions<ComplianceOptions> options,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (long Version, HostRecord Record, HostLocationRecord? Location, string? Hold, DateTimeOffset Until)> _holds = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>Bumped on every change this coordinator makes or loads; caches key on it.</summary>
    public long Version => Volatile.Read(ref _version);

    public CompliancePolicyEvaluator Evaluator => policy.Evaluator;

    public CompliancePolicyRecord PolicyRecord => policy.PolicyRecord;

    public SanctionsScreener Screener => policy.Screener;

    /// <summary>The sanctions list in force: null while the shipped sample is (nothing imported yet).</summary>
    public SanctionsListRecord? ListRecord => policy.ListRecord;

    /// <summary>The versions stamped on every decision.</summary>
    public (string List, string Policy) Versions => policy.Versions;

    /// <summary>Loads everything from the store (at start, and when another coordinator changed something).</summary>
    /// <remarks>Readers see the old view until the new one is complete (one swap each); decisions this coordinator makes
    /// while the store is read are laid over what was read, so none is lost.</remarks>
    public async Task LoadAsync(CancellationToken ct)
    {
        var head = await audit.HeadAsync(ct);
        await policy.LoadAsync(ct);
        await kyc.LoadAsync(ct);
        await locations.LoadAsync(ct);
        _holds.Clear();
        audit.MarkSeen(head);
        Interlocked.Increment(ref _version);
    }

    /// <summary>Reloads if another coordinator decided anything since this one's view was last current (the audit log,
    /// where every decision is appended, is the change cursor).</summary>
    /// <remarks>Incremental: only the submissions and host locations the new entries are about are read again (a busy
    /// network's routine location checks cost a row each); a new policy or list, or a long backlog, reloads it all.</remarks>
    public async Task RefreshIfChangedAsync(CancellationToken ct)
    {
        var seen = audit.Seen;
        if (await audit.HeadAsync(ct) == seen)
            return;
        var changes = await audit.SinceAsync(seen, MaxIncrementalChanges + 1, ct);
        if (changes.Count > MaxIncrementalChanges || changes.Any(NewPolicyOrList))
        {
            await LoadAsync(ct);
            return;
        }

        await kyc.ReloadAsync([.. changes.Where(c => c.Subject.StartsWith("kyc-", StringComparison.Ordinal)).Select(c => c.Subject).Distinct()], ct);
        await locations.ReloadAsync([.. changes.Where(c => c.Rule is "location-check" or "location-clearance").Select(c => c.Subject).Distinct()], ct);
        audit.MarkSeen(changes[^1].Sequence);
        Interlocked.Increment(ref _version);
    }

    private static bool NewPolicyOrList((long Sequence, string Subject, string Rule, string Outcome) c) =>
        (c.Rule == "policy-apply" && c.Outcome.StartsWith("applied", StringComparison.Ordinal))
        || (c.Rule == "sanctions-import" && c.Outcome.StartsWith("imported", StringComparison.Ordinal));

    /// <summary>More new audit entries than this since the last look, and everything is reloaded instead.</summary>
    private const int MaxIncrementalChanges = 10_000;

    // ---- participants ----

    /// <summary>A participant's standing now (an approval past its validity reads as Expired).</summary>
    public ParticipantKyc KycOf(string address) => kyc.KycOf(address);

    /// <summary>The newest submission of <paramref name="address"/>, if any.</summary>
    public KycSubmissionRecord? LatestOf(string address) => kyc.LatestOf(address);

    internal static KycStatus StatusOf(KycSubmissionRecord s) => KycStandings.StatusOf(s);

    /// <summary>Records a submission (or decision) this coordinator committed.</summary>
    internal void Remember(KycSubmissionRecord s)
    {
        kyc.Remember(s);
        Interlocked.Increment(ref _version);
    }

    // Only this host's answer changes: its cached hold is keyed on the check it read.
    internal void Remember(HostLocationRecord l) => locations.Remember(l);

    internal void Use(CompliancePolicy applied, CompliancePolicyRecord record)
    {
        policy.Use(applied, record);
        Interlocked.Increment(ref _version);
    }

    internal void Use(SanctionsList list, SanctionsListRecord record)
    {
        policy.Use(list, record);
        Interlocked.Increment(ref _version);
    }

    // ---- hosts ----

    /// <summary>The location check of a host, if it has one.</summary>
    public HostLocationRecord? LocationOf(string hostId) => locations.LocationOf(hostId);

    /// <summary>Everything the host policy decides about <paramref name="entry"/> now.</summary>
    public ComplianceDecision HostDecision(HostEntry entry) => HostDecision(entry.Record, locations.LocationOf(entry.Id));

    private ComplianceDecision HostDecision(HostRecord r, HostLocationRecord? l) => HostClearance.Decide(Evaluator, r.Country, r.Region,
        [.. r.Gpus.Select(g => g.Model)], KycOf(r.Address).State, l is null ? null : HostLocations.Of(l), options.Value.TrustDeclaredLocation);

    /// <summary>Whether the host's location is confirmed by its address (or cleared by an officer): what a residency
    /// choice needs.</summary>
    public bool LocationConfirmed(string hostId) => roundTrips.Of(hostId) is null && locations.LocationConfirmed(hostId);

    /// <summary>The check in force of a stored location check.</summary>
    internal static LocationCheck EffectiveCheck(HostLocationRecord l) => HostLocations.Of(l).Effective;

    /// <summary>Why compliance stops the host, every rule in one line (<see cref="HostHealthPolicy.HoldPrefix"/> first);
    /// null when nothing does. Cached until anything changes.</summary>
    public string? HostHold(HostEntry entry)
    {
        var version = Version;
        var record = entry.Record;
        var now = time.GetUtcNow();
        var location = locations.LocationOf(entry.Id);
        if (_holds.TryGetValue(entry.Id, out var cached) && cached.Version == version && ReferenceEquals(cached.Record, record)
            && ReferenceEquals(cached.Location, location) && now < cached.Until)
            return cached.Hold;
        var decision = HostDecision(record, location);
        var hold = decision.Allowed ? null : HostHealthPolicy.HoldPrefix + decision.Describe();
        // An approval's expiry changes the answer with no change to anything else.
        var until = LatestOf(record.Address)?.ExpiresAt is { } expires && expires > now ? expires : DateTimeOffset.MaxValue;
        _holds[entry.Id] = (version, record, location, hold, until);
        return hold;
    }

    /// <summary>Whether a host transition is a compliance gate's decision: a hold set, changed or lifted.</summary>
    public static bool IsGateDecision(HostTransition t) =>
        t.To == HostState.Paused || Core.Hosts.HostHold.IsHold(t.Reason)
        || (t.To == HostState.Ready && t.Reason == HostHealthPolicy.HoldLifted);

    /// <summary>Records the host monitor's gate decisions in the audit log.</summary>
    public Task RecordGateDecisionsAsync(IReadOnlyList<HostTransition> transitions, CancellationToken ct) => RecordAsync(
        [.. transitions.Select(t => new AuditDraft(t.HostId, "host-gate", new { from = t.From.ToString(), to = t.To.ToString() },
            t.To == HostState.Ready ? "allowed: the compliance hold was lifted" : $"held ({t.To}): {Core.Hosts.HostHold.Text(t.Reason)}",
            "host-monitor"))],
        ct);

    /// <summary>Records decisions whose effects are already done (or that change nothing: refusals of bad input),
    /// stamped with the list and policy in force.</summary>
    public Task RecordAsync(IReadOnlyList<AuditDraft> decisions, CancellationToken ct) => audit.RecordAsync(decisions, Versions, ct);

    /// <summary>Records one decision; see <see cref="RecordAsync(IReadOnlyList{AuditDraft}, CancellationToken)"/>.</summary>
    public Task RecordAsync(string subject, string rule, object inputs, string outcome, string decidedBy, CancellationToken ct) =>
        RecordAsync([new AuditDraft(subject, rule, inputs, outcome, decidedBy)], ct);

    /// <summary>Locates the host by the address its agent connects from; see <see cref="HostLocations.Locate"/>.</summary>
    public void Locate(HostEntry entry, IPAddress? connection) => locations.Locate(entry.Record, connection);

    // ---- orders ----

    /// <summary>The gate of one order of <paramref name="owner"/> (<c>admin</c>: the operator's own) asking for
    /// <paramref name="residency"/> (null: none), as its customer's standing is now.</summary>
    /// <param name="stakeRequired">Whether hosts must be fully staked (the matcher's gate; placement only).</param>
    public OrderGate OrderGateFor(string owner, string? residency, bool stakeRequired = false)
    {
        var isOperator = owner == Auth.GpunetClaims.AdminRole;
        return new OrderGate(Evaluator, isOperator ? OrderOwner.Operator : OrderOwner.Customer,
            isOperator ? new ParticipantKyc(KycState.Approved, null, null, null) : KycOf(owner), residency, stakeRequired);
    }
}
