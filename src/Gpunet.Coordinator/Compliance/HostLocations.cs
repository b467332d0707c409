using System.Net;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Every host's location check: made from the address its agent connects from (the core's
/// <see cref="LocationEvidence"/>), kept in memory for the gates, and stored with its audit entry in group commits.</summary>
/// <remarks>Thread-safe. A load swaps the whole view at once; checks made while the store is read are laid over it.</remarks>
internal sealed partial class HostLocations(
    IHostLocationStore store,
    PolicyInForce policy,
    IOptions<ComplianceOptions> options,
    TimeProvider time,
    ILogger<HostLocations> log) : IAsyncDisposable
{
    // A new check replaces the host's last one.
    private readonly LoadedView<HostLocationRecord> _locations = new(l => l.HostId, static (_, arriving) => arriving);
    private readonly Lock _openLock = new();
    private GeoIpLocator? _geo;
    private string? _geoProblem;
    private readonly Lock _writerLock = new();
    private BatchWriter<(HostLocationRecord Record, AuditDraft Decision), object>? _writer;

    /// <summary>The stored check of a host, if it has one.</summary>
    public HostLocationRecord? LocationOf(string hostId) => _locations.Get(hostId);

    /// <summary>A stored check as the core's location rules read it.</summary>
    public static HostLocation Of(HostLocationRecord l) =>
        new(l.Address, l.DeclaredCountry, l.ResolvedCountry, Enum.Parse<LocationCheck>(l.Check), l.ClearedAt is not null);

    /// <summary>Whether the host's location is confirmed: what a residency choice needs.</summary>
    public bool LocationConfirmed(string hostId) =>
        HostClearance.LocationConfirmed(LocationOf(hostId) is { } l ? Of(l) : null, options.Value.TrustDeclaredLocation);

    /// <summary>Records a check that was committed (an officer's clearance), or that is on its way to the store.</summary>
    public void Remember(HostLocationRecord l) => _locations.Remember(l);

    /// <summary>Reads every check from the store and swaps the view (opening the IP location database the first time).</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        OpenGeo();
        await _locations.LoadAsync(store.AllAsync, ct);
    }

    /// <summary>Reads these hosts' checks again (another coordinator made or cleared them).</summary>
    public async Task ReloadAsync(IReadOnlyCollection<string> hostIds, CancellationToken ct)
    {
        foreach (var l in await store.FindAsync(hostIds, ct))
            Remember(l);
    }

    /// <summary>Looks up where the host's public address is and compares it with its declaration; stores the check (and
    /// an audit entry) when it changed. An officer's clearance holds while address and declared country stay the same.</summary>
    /// <param name="connection">The agent's source address as this coordinator sees it.</param>
    public void Locate(HostRecord r, IPAddress? connection)
    {
        OpenGeo();
        var trust = options.Value.TrustDeclaredLocation;
        var sighting = new LocationSighting(r.Country, r.PublicIp, connection, connection is not null && GeoIpLocator.IsPublic(connection), trust);
        var geo = _geo;
        var finding = LocationEvidence.Assess(sighting, geo is null ? null : a =>
        {
            var lookup = geo.Lookup(a);
            return (lookup.Country, lookup.Note);
        }, _geoProblem);
        var known = LocationOf(r.Id);
        var knownCheck = known is null ? (HostLocation?)null : Of(known);
        if (LocationEvidence.Unchanged(knownCheck, finding, r.Country))
            return;

        var keepClearance = LocationEvidence.KeepsClearance(knownCheck, finding, r.Country);
        var record = new HostLocationRecord
        {
            HostId = r.Id, Address = finding.Address, Source = finding.Source, ResolvedCountry = finding.ResolvedCountry, DeclaredCountry = r.Country,
            Check = finding.Check.ToString(), Detail = finding.Detail, DatabaseVersion = geo?.DatabaseVersion ?? "none", CheckedAt = time.GetUtcNow(),
            ClearedBy = keepClearance ? known!.ClearedBy : null, ClearedAt = keepClearance ? known!.ClearedAt : null,
            ClearedReason = keepClearance ? known!.ClearedReason : null,
        };
        var decision = new AuditDraft(r.Id, "location-check",
            new { address = finding.Address, source = finding.Source, declared = r.Country, region = r.Region, resolved = finding.ResolvedCountry, database = record.DatabaseVersion },
            $"{finding.Check}: {finding.Detail}{(keepClearance ? " (the officer's clearance still holds)" : "")}", "geoip");
        // The check decides at once (memory); its row and audit entry follow in a group commit, so thousands of hosts
        // registering at once share a few transactions instead of each waiting on its own. A check lost to a crash
        // before its commit is made again when the host reconnects.
        Remember(record);
        BatchWriter<(HostLocationRecord Record, AuditDraft Decision), object> writer;
        lock (_writerLock)
            writer = _writer ??= new(1000, batch => store.SaveAsync(batch, policy.Versions, CancellationToken.None), _ => true, (_, _) => null);
        _ = writer.EnqueueAsync((record, decision)).ContinueWith(t =>
        {
            // Not stored, not audited: forget it, so the host is held (fail closed) and located again when it reconnects.
            LogLocationWriteFailed(log, t.Exception!.GetBaseException(), r.Id);
            _locations.Forget(record);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void OpenGeo()
    {
        if (Volatile.Read(ref _geo) is not null || Volatile.Read(ref _geoProblem) is not null)
            return;
        lock (_openLock)
        {
            if (_geo is not null || _geoProblem is not null)
                return;
            var path = options.Value.GeoIpDatabase ?? GeoIpLocator.DefaultPath;
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
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
            await _writer.DisposeAsync();
        _geo?.Dispose();
    }

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Compliance: the location check of {HostId} could not be stored; it is made again when the host reconnects")]
    private static partial void LogLocationWriteFailed(ILogger logger, Exception e, string hostId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Compliance: {Problem}; hosts cannot be located, and export-controlled GPUs stay held until an officer clears them")]
    private static partial void LogNoGeo(ILogger logger, string problem);
}
