using System.Collections.Concurrent;
using System.Net;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Hosts;
using Gpunet.Core.Sanctions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>What compliance knows now: the policy and sanctions list in force, every participant's KYC/KYB standing
/// and every host's location check; and the decisions that read them (host holds, rental gates).</summary>
/// <remarks>Thread-safe. The store is the truth: every change commits with its audit entry and bumps a version that
/// other coordinators on the same database notice (<see cref="RefreshIfChangedAsync"/>) and reload.</remarks>
internal sealed partial class ComplianceService(
    IDbContextFactory<GpunetDb> dbFactory,
    AuditLog audit,
    IOptions<ComplianceOptions> options,
    TimeProvider time,
    ILogger<ComplianceService> log) : IAsyncDisposable
{
    private readonly ComplianceOptions _options = options.Value;
    private readonly Lock _swap = new();
    private ConcurrentDictionary<string, KycSubmissionRecord> _latest = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, HostLocationRecord> _locations = new(StringComparer.Ordinal);
    // While a load reads the store, what this coordinator decides meanwhile, to lay over what the load read.
    private List<KycSubmissionRecord>? _submissionsDuringLoad;
    private List<HostLocationRecord>? _locationsDuringLoad;
    private readonly ConcurrentDictionary<string, (long Version, HostRecord Record, HostLocationRecord? Location, string? Hold, DateTimeOffset Until)> _holds = new(StringComparer.Ordinal);
    private CompliancePolicyEvaluator _evaluator = new(CompliancePolicy.Default);
    private CompliancePolicyRecord _policyRecord = DefaultPolicyRecord();
    private SanctionsScreener _screener = new(SanctionsList.Empty);
    private SanctionsListRecord? _listRecord;
    private GeoIpLocator? _geo;
    private string? _geoProblem;
    private long _version;

    /// <summary>Bumped on every change this coordinator makes or loads; caches key on it.</summary>
    public long Version => Volatile.Read(ref _version);

    public CompliancePolicyEvaluator Evaluator => Volatile.Read(ref _evaluator);

    public CompliancePolicyRecord PolicyRecord => Volatile.Read(ref _policyRecord);

    public SanctionsScreener Screener => Volatile.Read(ref _screener);

    /// <summary>The sanctions list in force: null while the shipped sample is (nothing imported yet).</summary>
    public SanctionsListRecord? ListRecord => Volatile.Read(ref _listRecord);

    /// <summary>The versions stamped on every decision.</summary>
    public (string List, string Policy) Versions => (Screener.List.Version, Evaluator.Policy.Version);

    /// <summary>Loads everything from the store (at start, and when another coordinator changed something).</summary>
    /// <remarks>Readers see the old view until the new one is complete (one swap); decisions this coordinator makes
    /// while the store is read are laid over what was read, so none is lost.</remarks>
    public async Task LoadAsync(CancellationToken ct)
    {
        if (_geo is null && _geoProblem is null)
            OpenGeo();
        var head = await audit.HeadAsync(ct);
        lock (_swap)
        {
            _submissionsDuringLoad = [];
            _locationsDuringLoad = [];
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var policy = await db.CompliancePolicies.AsNoTracking().OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
            if (policy is not null && policy.Version != PolicyRecord.Version && CompliancePolicyParser.Parse(policy.Yaml) is ({ } parsed, _))
            {
                Volatile.Write(ref _evaluator, new CompliancePolicyEvaluator(parsed));
                Volatile.Write(ref _policyRecord, policy);
            }

            var list = await db.SanctionsLists.AsNoTracking().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
            if (list is not null && list.Version != ListRecord?.Version)
            {
                Volatile.Write(ref _screener, new SanctionsScreener(SdnCsvParser.Parse(list.Sdn, list.Alt)));
                Volatile.Write(ref _listRecord, Summary(list));
            }
            else if (list is null && Screener.List.Entries.Count == 0)
            {
                Volatile.Write(ref _screener, new SanctionsScreener(SampleSanctionsList.Load()));
            }

            var latest = new ConcurrentDictionary<string, KycSubmissionRecord>(StringComparer.Ordinal);
            foreach (var s in await db.KycSubmissions.AsNoTracking().ToListAsync(ct))
            {
                if (!latest.TryGetValue(s.Address, out var known) || Newer(s, known))
                    latest[s.Address] = s;
            }

            var locations = new ConcurrentDictionary<string, HostLocationRecord>(StringComparer.Ordinal);
            foreach (var l in await db.HostLocations.AsNoTracking().ToListAsync(ct))
                locations[l.HostId] = l;

            lock (_swap)
            {
                foreach (var s in _submissionsDuringLoad!)
                    Lay(latest, s);
                foreach (var l in _locationsDuringLoad!)
                    locations[l.HostId] = l;
                _latest = latest;
                _locations = locations;
                _holds.Clear();
            }
        }
        finally
        {
            lock (_swap)
            {
                _submissionsDuringLoad = null;
                _locationsDuringLoad = null;
            }
        }

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

        var submissions = changes.Where(c => c.Subject.StartsWith("kyc-", StringComparison.Ordinal)).Select(c => c.Subject).Distinct().ToList();
        var hosts = changes.Where(c => c.Rule is "location-check" or "location-clearance").Select(c => c.Subject).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var s in await db.KycSubmissions.AsNoTracking().Where(x => submissions.Contains(x.Id)).ToListAsync(ct))
            Remember(s);
        foreach (var l in await db.HostLocations.AsNoTracking().Where(x => hosts.Contains(x.HostId)).ToListAsync(ct))
            Remember(l);
        audit.MarkSeen(changes[^1].Sequence);
        Interlocked.Increment(ref _version);
    }

    private static bool NewPolicyOrList((long Sequence, string Subject, string Rule, string Outcome) c) =>
        (c.Rule == "policy-apply" && c.Outcome.StartsWith("applied", StringComparison.Ordinal))
        || (c.Rule == "sanctions-import" && c.Outcome.StartsWith("imported", StringComparison.Ordinal));

    /// <summary>More new audit entries than this since the last look, and everything is reloaded instead.</summary>
    private const int MaxIncrementalChanges = 10_000;

    private static bool Newer(KycSubmissionRecord a, KycSubmissionRecord b) =>
        a.SubmittedAt > b.SubmittedAt || (a.SubmittedAt == b.SubmittedAt && string.CompareOrdinal(a.Id, b.Id) > 0);

    private void OpenGeo()
    {
        var path = _options.GeoIpDatabase ?? GeoIpLocator.DefaultPath;
        try
        {
            _geo = GeoIpLocator.Open(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            _geoProblem = $"no IP location database ({e.Message})";
            LogNoGeo(log, _geoProblem);
        }
    }

    // ---- participants ----

    /// <summary>A participant's standing now (an approval past its validity reads as Expired).</summary>
    public ParticipantKyc KycOf(string address)
    {
        if (!_latest.TryGetValue(address, out var s))
            return new ParticipantKyc(_options.ApproveAllKyc ? KycState.Approved : KycState.Unverified, null, null, null);
        return new ParticipantKyc(KycLifecycle.EffectiveState(StatusOf(s), time.GetUtcNow()), s.Country, s.ParentCountry, s.Id);
    }

    /// <summary>The newest submission of <paramref name="address"/>, if any.</summary>
    public KycSubmissionRecord? LatestOf(string address) => _latest.GetValueOrDefault(address);

    internal static KycStatus StatusOf(KycSubmissionRecord s) =>
        new(Enum.Parse<KycState>(s.State), s.SubmittedAt, s.DecidedAt, s.ExpiresAt, s.Final, s.Reason);

    /// <summary>Records a submission (or decision) this coordinator committed.</summary>
    internal void Remember(KycSubmissionRecord s)
    {
        lock (_swap)
        {
            Lay(_latest, s);
            _submissionsDuringLoad?.Add(s);
        }

        Interlocked.Increment(ref _version);
    }

    // The same submission decided replaces itself (a stored time may have lost precision); another replaces it only
    // if newer.
    private static void Lay(ConcurrentDictionary<string, KycSubmissionRecord> latest, KycSubmissionRecord s) =>
        latest.AddOrUpdate(s.Address, s, (_, known) => known.Id != s.Id && Newer(known, s) ? known : s);

    internal void Remember(HostLocationRecord l)
    {
        // Only this host's answer changes: forget it alone (a registration storm would otherwise re-decide every host).
        lock (_swap)
        {
            _locations[l.HostId] = l;
            _locationsDuringLoad?.Add(l);
        }

        _holds.TryRemove(l.HostId, out _);
    }

    internal void Use(CompliancePolicy policy, CompliancePolicyRecord record)
    {
        Volatile.Write(ref _evaluator, new CompliancePolicyEvaluator(policy));
        Volatile.Write(ref _policyRecord, record);
        Interlocked.Increment(ref _version);
    }

    internal void Use(SanctionsList list, SanctionsListRecord record)
    {
        Volatile.Write(ref _screener, new SanctionsScreener(list));
        Volatile.Write(ref _listRecord, Summary(record));
        Interlocked.Increment(ref _version);
    }

    // The list's facts without its text (megabytes for a full list), which only the screener needs.
    private static SanctionsListRecord Summary(SanctionsListRecord r) => new()
    {
        Id = r.Id, Version = r.Version, Sdn = "", Alt = null, Entries = r.Entries, ImportedAt = r.ImportedAt, ImportedBy = r.ImportedBy,
    };

    // ---- hosts ----

    /// <summary>The location check of a host, if it has one.</summary>
    public HostLocationRecord? LocationOf(string hostId) => _locations.GetValueOrDefault(hostId);

    /// <summary>Everything the host policy decides about <paramref name="entry"/> now.</summary>
    public ComplianceDecision HostDecision(HostEntry entry)
    {
        var r = entry.Record;
        var l = _locations.GetValueOrDefault(r.Id);
        var location = l is null ? (_options.TrustDeclaredLocation ? LocationCheck.Matches : LocationCheck.Unresolved) : EffectiveCheck(l);
        return Evaluator.EvaluateHost(new HostFacts(r.Country, r.Region ?? "", [.. r.Gpus.Select(g => g.Model)], KycOf(r.Address).State, location,
            l?.Address, l?.ResolvedCountry));
    }

    /// <summary>Whether the host's location is confirmed by its address (or cleared by an officer): what a residency
    /// choice needs.</summary>
    public bool LocationConfirmed(string hostId) => _locations.GetValueOrDefault(hostId) is { } l
        ? EffectiveCheck(l) is LocationCheck.Matches or LocationCheck.Cleared
        : _options.TrustDeclaredLocation;

    /// <summary>Whether a clearance of <paramref name="l"/> still covers a check of <paramref name="address"/> against
    /// <paramref name="declared"/>: it holds while both stay the same.</summary>
    internal static bool SameSubject(HostLocationRecord l, string address, string declared) => l.Address == address && l.DeclaredCountry == declared;

    internal static LocationCheck EffectiveCheck(HostLocationRecord l)
    {
        var check = Enum.Parse<LocationCheck>(l.Check);
        return l.ClearedAt is not null && check is LocationCheck.Mismatch or LocationCheck.Unresolved ? LocationCheck.Cleared : check;
    }

    /// <summary>Why compliance stops the host, every rule in one line (<see cref="HostHealthPolicy.HoldPrefix"/> first);
    /// null when nothing does. Cached until anything changes.</summary>
    public string? HostHold(HostEntry entry)
    {
        var version = Version;
        var record = entry.Record;
        var now = time.GetUtcNow();
        var location = _locations.GetValueOrDefault(entry.Id);
        if (_holds.TryGetValue(entry.Id, out var cached) && cached.Version == version && ReferenceEquals(cached.Record, record)
            && ReferenceEquals(cached.Location, location) && now < cached.Until)
            return cached.Hold;
        var decision = HostDecision(entry);
        var hold = decision.Allowed ? null : HostHealthPolicy.HoldPrefix + Describe(decision);
        // An approval's expiry changes the answer with no change to anything else.
        var until = LatestOf(record.Address)?.ExpiresAt is { } expires && expires > now ? expires : DateTimeOffset.MaxValue;
        _holds[entry.Id] = (version, record, location, hold, until);
        return hold;
    }

    /// <summary>Whether a host transition is a compliance gate's decision: a hold set, changed or lifted.</summary>
    public static bool IsGateDecision(HostTransition t) =>
        t.To == HostState.Paused || t.Reason.StartsWith(HostHealthPolicy.HoldPrefix, StringComparison.Ordinal)
        || (t.To == HostState.Ready && t.Reason == HostHealthPolicy.HoldLifted);

    /// <summary>Records the host monitor's gate decisions in the audit log.</summary>
    public Task RecordGateDecisionsAsync(IReadOnlyList<HostTransition> transitions, CancellationToken ct) => RecordAsync(
        [.. transitions.Select(t => new AuditDraft(t.HostId, "host-gate", new { from = t.From.ToString(), to = t.To.ToString() },
            t.To == HostState.Ready ? "allowed: the compliance hold was lifted" : $"held ({t.To}): {t.Reason[HostHealthPolicy.HoldPrefix.Length..]}",
            "host-monitor"))],
        ct);

    /// <summary>Records decisions whose effects are already done (or that change nothing: refusals of bad input),
    /// stamped with the list and policy in force.</summary>
    public Task RecordAsync(IReadOnlyList<AuditDraft> decisions, CancellationToken ct) => audit.RecordAsync(decisions, Versions, ct);

    /// <summary>Records one decision; see <see cref="RecordAsync(IReadOnlyList{AuditDraft}, CancellationToken)"/>.</summary>
    public Task RecordAsync(string subject, string rule, object inputs, string outcome, string decidedBy, CancellationToken ct) =>
        RecordAsync([new AuditDraft(subject, rule, inputs, outcome, decidedBy)], ct);

    /// <summary>"rule: message; rule: message".</summary>
    public static string Describe(ComplianceDecision decision) =>
        string.Join("; ", decision.Reasons.Select(r => $"{r.Rule}: {r.Message}"));

    /// <summary>Looks up where the host's public address is and compares it with its declaration; stores the check (and
    /// an audit entry) when it changed. An officer's clearance holds while address and declared country stay the same.</summary>
    /// <param name="connection">The agent's source address as this coordinator sees it.</param>
    public void Locate(HostEntry entry, IPAddress? connection)
    {
        var r = entry.Record;
        // The evidence is the address the agent connects from. An address it merely declares is its own word: taken
        // only on a network configured to trust it (the devnet, tests: agents on this machine).
        var trust = _options.TrustDeclaredLocation;
        var (address, source) = connection is not null && GeoIpLocator.IsPublic(connection)
            ? (connection, "connection")
            : trust && IPAddress.TryParse(r.PublicIp, out var declared) ? (declared, "declared") : ((IPAddress?)null, "none");
        string? resolved = null;
        LocationCheck check;
        string detail;
        if (address is null)
        {
            check = trust ? LocationCheck.Matches : LocationCheck.Unresolved;
            detail = trust
                ? $"no public address; the declared {r.Country} is trusted by this network's configuration"
                : $"the agent connects from {(connection is null ? "an unknown address" : $"{connection}, not a public address")}"
                    + (r.PublicIp.Length > 0 ? $"; the address it declares ({r.PublicIp}) is its own word, not evidence" : "");
        }
        else if (_geo is null)
        {
            check = LocationCheck.Unresolved;
            detail = $"{address} cannot be located: {_geoProblem}";
        }
        else
        {
            var lookup = _geo.Lookup(address);
            resolved = lookup.Country;
            check = LocationRule.Compare(r.Country, resolved);
            detail = resolved is null ? lookup.Note : LocationRule.Describe(check, r.Country, resolved, address.ToString());
        }

        var text = address?.ToString() ?? "";
        var known = LocationOf(r.Id);
        if (known is not null && SameSubject(known, text, r.Country) && known.Check == check.ToString()
            && known.ResolvedCountry == resolved)
            return;

        var now = time.GetUtcNow();
        var keepClearance = known is not null && known.ClearedAt is not null && SameSubject(known, text, r.Country);
        var record = new HostLocationRecord
        {
            HostId = r.Id, Address = text, Source = source, ResolvedCountry = resolved, DeclaredCountry = r.Country,
            Check = check.ToString(), Detail = detail, DatabaseVersion = _geo?.DatabaseVersion ?? "none", CheckedAt = now,
            ClearedBy = keepClearance ? known!.ClearedBy : null, ClearedAt = keepClearance ? known!.ClearedAt : null,
            ClearedReason = keepClearance ? known!.ClearedReason : null,
        };
        var decision = new AuditDraft(r.Id, "location-check",
            new { address = text, source, declared = r.Country, region = r.Region, resolved, database = record.DatabaseVersion },
            $"{check}: {detail}{(keepClearance ? " (the officer's clearance still holds)" : "")}", "geoip");
        // The check decides at once (memory); its row and audit entry follow in a group commit, so thousands of hosts
        // registering at once share a few transactions instead of each waiting on its own. A check lost to a crash
        // before its commit is made again when the host reconnects.
        Remember(record);
        BatchWriter<(HostLocationRecord Record, AuditDraft Decision), object> writer;
        lock (_writerLock)
            writer = _locationWriter ??= new(1000, SaveLocationsAsync, _ => true, (_, _) => null);
        _ = writer.EnqueueAsync((record, decision)).ContinueWith(t =>
        {
            // Not stored, not audited: forget it, so the host is held (fail closed) and located again when it reconnects.
            LogLocationWriteFailed(log, t.Exception!.GetBaseException(), r.Id);
            lock (_swap)
                _locations.TryRemove(new KeyValuePair<string, HostLocationRecord>(r.Id, record));
            _holds.TryRemove(r.Id, out _);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private readonly Lock _writerLock = new();
    private BatchWriter<(HostLocationRecord Record, AuditDraft Decision), object>? _locationWriter;

    private Task<bool> SaveLocationsAsync(IReadOnlyList<(HostLocationRecord Record, AuditDraft Decision)> batch) => audit.CommitAsync(async db =>
    {
        var ids = batch.Select(b => b.Record.HostId).Distinct().ToList();
        var rows = await db.HostLocations.Where(l => ids.Contains(l.HostId)).ToDictionaryAsync(l => l.HostId, StringComparer.Ordinal);
        foreach (var (record, _) in batch)
        {
            if (rows.TryGetValue(record.HostId, out var row))
            {
                // A clearance given meanwhile holds while address and declaration are the same.
                if (row.ClearedAt is not null && record.ClearedAt is null && SameSubject(row, record.Address, record.DeclaredCountry))
                    (record.ClearedAt, record.ClearedBy, record.ClearedReason) = (row.ClearedAt, row.ClearedBy, row.ClearedReason);
                db.Entry(row).CurrentValues.SetValues(record);
            }
            else
            {
                db.HostLocations.Add(record);
                rows[record.HostId] = record;
            }
        }

        return (true, (IReadOnlyList<AuditDraft>)[.. batch.Select(b => b.Decision)]);
    }, Versions, CancellationToken.None);

    // ---- rentals ----

    /// <summary>The rental rules of one customer's order, for the matcher; residency null: none asked for.</summary>
    /// <remarks>The operator's own orders (owner <c>admin</c>) are bound only by the residency they ask for.</remarks>
    public RentalGate RentalGateFor(string owner, string? residency) => new(Evaluator,
        owner == Auth.GpunetClaims.AdminRole ? new ParticipantKyc(KycState.Approved, null, null, null) : KycOf(owner), residency);

    /// <summary>Why <paramref name="owner"/> may not place an order asking for <paramref name="canonicalModels"/> (the catalog
    /// models the order accepts; empty: any) with <paramref name="residency"/>; null when they may.</summary>
    public ComplianceDecision? OrderRefusal(string owner, IReadOnlyList<string> canonicalModels, string? residency)
    {
        var kyc = KycOf(owner);
        var policy = Evaluator.Policy;
        var reasons = new List<ComplianceReason>();
        if (!kyc.Approved)
            reasons.Add(new(ComplianceRules.KycNotApproved, $"placing an order needs approved KYC/KYB; yours is {kyc.State}"));
        if (residency is not null && !policy.ResidencyZones.Any(z => string.Equals(z.Name, residency, StringComparison.OrdinalIgnoreCase)))
        {
            reasons.Add(new(ComplianceRules.OutsideResidencyZone,
                $"the policy has no residency zone '{residency}'; it has {string.Join(", ", policy.ResidencyZones.Select(z => z.Name))}"));
        }

        // An order that can only be met by controlled GPUs, from a customer who may not rent them, can never be placed.
        if (kyc.Approved && canonicalModels.Count > 0 && canonicalModels.All(policy.IsControlled))
        {
            var model = canonicalModels[0];
            var rental = Evaluator.EvaluateRental(new RentalFacts(kyc.Country ?? "", kyc.ParentCountry, KycState.Approved, model, "", "", null));
            reasons.AddRange(rental.Reasons.Where(r => r.Rule is ComplianceRules.RestrictedCustomerJurisdiction or ComplianceRules.RestrictedParentJurisdiction));
        }

        return reasons.Count == 0 ? null : new ComplianceDecision(policy.Version, reasons);
    }

    public async ValueTask DisposeAsync()
    {
        if (_locationWriter is not null)
            await _locationWriter.DisposeAsync();
        _geo?.Dispose();
    }

    private static CompliancePolicyRecord DefaultPolicyRecord() => new()
    {
        Version = CompliancePolicy.Default.Version, Yaml = CompliancePolicyParser.DefaultYaml, AppliedAt = DateTimeOffset.UnixEpoch, AppliedBy = "default",
    };

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Compliance: the location check of {HostId} could not be stored; it is made again when the host reconnects")]
    private static partial void LogLocationWriteFailed(ILogger logger, Exception e, string hostId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Compliance: {Problem}; hosts cannot be located, and export-controlled GPUs stay held until an officer clears them")]
    private static partial void LogNoGeo(ILogger logger, string problem);
}
