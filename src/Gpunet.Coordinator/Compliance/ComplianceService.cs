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
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<ComplianceService> log) : IAsyncDisposable
{
    private const string VersionKey = "compliance_version";
    private readonly CoordinatorOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, KycSubmissionRecord> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostLocationRecord> _locations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Version, HostRecord Record, string? Hold, DateTimeOffset Until)> _holds = new(StringComparer.Ordinal);
    private CompliancePolicyEvaluator _evaluator = new(CompliancePolicy.Default);
    private CompliancePolicyRecord _policyRecord = DefaultPolicyRecord();
    private SanctionsScreener _screener = new(SanctionsList.Empty);
    private SanctionsListRecord? _listRecord;
    private GeoIpLocator? _geo;
    private string? _geoProblem;
    private long _version;
    private string? _storedVersion;

    /// <summary>Bumped on every change this coordinator makes or loads; caches key on it.</summary>
    public long Version => Volatile.Read(ref _version);

    public CompliancePolicyEvaluator Evaluator => Volatile.Read(ref _evaluator);

    public CompliancePolicyRecord PolicyRecord => Volatile.Read(ref _policyRecord);

    public SanctionsScreener Screener => Volatile.Read(ref _screener);

    /// <summary>The sanctions list in force: null while the shipped sample is (nothing imported yet).</summary>
    public SanctionsListRecord? ListRecord => Volatile.Read(ref _listRecord);

    /// <summary>The versions stamped on every decision.</summary>
    public (string List, string Policy) Versions => (Screener.List.Version, Evaluator.Policy.Version);

    /// <summary>The IP-location database, or null with <see cref="GeoProblem"/> saying why not.</summary>
    public GeoIpLocator? Geo => _geo;

    public string? GeoProblem => _geoProblem;

    /// <summary>Loads everything from the store (at start, and when another coordinator changed something).</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        if (_geo is null && _geoProblem is null)
            OpenGeo();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        _storedVersion = (await db.Meta.AsNoTracking().FirstOrDefaultAsync(m => m.Key == VersionKey, ct))?.Value;

        var policy = await db.CompliancePolicies.AsNoTracking().OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        if (policy is not null && CompliancePolicyParser.Parse(policy.Yaml) is ({ } parsed, _))
        {
            Volatile.Write(ref _evaluator, new CompliancePolicyEvaluator(parsed));
            Volatile.Write(ref _policyRecord, policy);
        }

        var list = await db.SanctionsLists.AsNoTracking().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        if (list is not null)
        {
            Volatile.Write(ref _screener, new SanctionsScreener(SdnCsvParser.Parse(list.Sdn, list.Alt)));
            Volatile.Write(ref _listRecord, Summary(list));
        }
        else if (Screener.List.Entries.Count == 0)
        {
            Volatile.Write(ref _screener, new SanctionsScreener(SampleSanctionsList.Load()));
        }

        var submissions = await db.KycSubmissions.AsNoTracking().ToListAsync(ct);
        _latest.Clear();
        foreach (var s in submissions)
        {
            if (!_latest.TryGetValue(s.Address, out var known) || Newer(s, known))
                _latest[s.Address] = s;
        }

        _locations.Clear();
        foreach (var l in await db.HostLocations.AsNoTracking().ToListAsync(ct))
            _locations[l.HostId] = l;
        Interlocked.Increment(ref _version);
    }

    /// <summary>Reloads if another coordinator changed anything since the last load or change here.</summary>
    public async Task RefreshIfChangedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = (await db.Meta.AsNoTracking().FirstOrDefaultAsync(m => m.Key == VersionKey, ct))?.Value;
        if (stored != _storedVersion)
            await LoadAsync(ct);
    }

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
        // The same submission decided replaces itself (a stored time may have lost precision); another replaces it
        // only if newer.
        _latest.AddOrUpdate(s.Address, s, (_, known) => known.Id != s.Id && Newer(known, s) ? known : s);
        Interlocked.Increment(ref _version);
    }

    internal void Remember(HostLocationRecord l)
    {
        // Only this host's answer changes: forget it alone (a registration storm would otherwise re-decide every host).
        _locations[l.HostId] = l;
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

    /// <summary>Bumps the stored version inside a commit, so other coordinators reload.</summary>
    internal async Task BumpAsync(GpunetDb db, CancellationToken ct)
    {
        var value = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var meta = await db.Meta.FindAsync([VersionKey], ct);
        if (meta is null)
            db.Meta.Add(new MetaRecord { Key = VersionKey, Value = value });
        else
            meta.Value = value;
        _storedVersion = value;
    }

    // ---- hosts ----

    /// <summary>The location check of a host, if it has one.</summary>
    public HostLocationRecord? LocationOf(string hostId) => _locations.GetValueOrDefault(hostId);

    /// <summary>Everything the host policy decides about <paramref name="entry"/> now.</summary>
    public ComplianceDecision HostDecision(HostEntry entry)
    {
        var r = entry.Record;
        var location = _locations.TryGetValue(r.Id, out var l) ? EffectiveCheck(l) : LocationCheck.Unresolved;
        return Evaluator.EvaluateHost(new HostFacts(r.Country, r.Region ?? "", [.. r.Gpus.Select(g => g.Model)], KycOf(r.Address).State, location));
    }

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
        if (_holds.TryGetValue(entry.Id, out var cached) && cached.Version == version && ReferenceEquals(cached.Record, record) && now < cached.Until)
            return cached.Hold;
        var decision = HostDecision(entry);
        var hold = decision.Allowed ? null : HostHealthPolicy.HoldPrefix + Describe(decision);
        // An approval's expiry changes the answer with no change to anything else.
        var until = LatestOf(record.Address)?.ExpiresAt is { } expires && expires > now ? expires : DateTimeOffset.MaxValue;
        _holds[entry.Id] = (version, record, hold, until);
        return hold;
    }

    /// <summary>Whether a host transition is a compliance gate's decision: a hold set, changed or lifted.</summary>
    public static bool IsGateDecision(HostTransition t) =>
        t.To == HostState.Paused || t.Reason.StartsWith(HostHealthPolicy.HoldPrefix, StringComparison.Ordinal)
        || (t.To == HostState.Ready && t.Reason == HostHealthPolicy.HoldLifted);

    /// <summary>Records the host monitor's gate decisions in the audit log.</summary>
    public Task RecordGateDecisionsAsync(IReadOnlyList<HostTransition> transitions, CancellationToken ct) => audit.RecordAsync(
        [.. transitions.Select(t => new AuditDraft(t.HostId, "host-gate", new { from = t.From.ToString(), to = t.To.ToString() },
            t.To == HostState.Ready ? "allowed: the compliance hold was lifted" : $"held ({t.To}): {t.Reason[HostHealthPolicy.HoldPrefix.Length..]}",
            "host-monitor"))],
        Versions, ct);

    /// <summary>"rule: message; rule: message".</summary>
    public static string Describe(ComplianceDecision decision) =>
        string.Join("; ", decision.Reasons.Select(r => $"{r.Rule}: {r.Message}"));

    /// <summary>Looks up where the host's public address is and compares it with its declaration; stores the check (and
    /// an audit entry) when it changed. An officer's clearance holds while address and declared country stay the same.</summary>
    /// <param name="connection">The agent's source address as this coordinator sees it.</param>
    public void Locate(HostEntry entry, IPAddress? connection)
    {
        var r = entry.Record;
        var (address, source) = connection is not null && GeoIpLocator.IsPublic(connection)
            ? (connection, "connection")
            : IPAddress.TryParse(r.PublicIp, out var declared) ? (declared, "declared") : ((IPAddress?)null, "none");
        string? resolved = null;
        LocationCheck check;
        string detail;
        if (address is null)
        {
            check = _options.TrustDeclaredLocation ? LocationCheck.Matches : LocationCheck.Unresolved;
            detail = _options.TrustDeclaredLocation
                ? $"no public address; the declared {r.Country} is trusted by this network's configuration"
                : "the host has no public address to locate";
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
        if (known is not null && known.Address == text && known.DeclaredCountry == r.Country && known.Check == check.ToString()
            && known.ResolvedCountry == resolved)
            return;

        var now = time.GetUtcNow();
        var keepClearance = known is not null && known.Address == text && known.DeclaredCountry == r.Country && known.ClearedAt is not null;
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
        _ = writer.EnqueueAsync((record, decision)).ContinueWith(
            t => LogLocationWriteFailed(log, t.Exception!.GetBaseException(), r.Id), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
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
                if (row.ClearedAt is not null && record.ClearedAt is null && row.Address == record.Address && row.DeclaredCountry == record.DeclaredCountry)
                    (record.ClearedAt, record.ClearedBy, record.ClearedReason) = (row.ClearedAt, row.ClearedBy, row.ClearedReason);
                db.Entry(row).CurrentValues.SetValues(record);
            }
            else
            {
                db.HostLocations.Add(record);
                rows[record.HostId] = record;
            }
        }

        await BumpAsync(db, CancellationToken.None);
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
