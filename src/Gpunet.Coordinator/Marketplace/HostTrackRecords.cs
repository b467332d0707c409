using System.Collections.Immutable;
using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Hosts;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Each host's track record and reputation over the last <see cref="MarketOptions.TrackRecordWindow"/>, and
/// where round trips place it: what the matcher's offers carry (<see cref="CapacityIndex"/>).</summary>
/// <remarks>
/// <para>Refreshed at start and every <see cref="MarketOptions.TrackRecordInterval"/> from three grouped reads of the
/// store: decided checks counted by host, kind and outcome (capacity and liveness, honeypots left out), ended leases
/// counted by host and end reason, and the hosts' state changes; the rules that turn them into a record are the core's
/// (<see cref="HostTrackRecordRules"/>, <see cref="HostReputation"/>). The checks are the verification module's rows,
/// read here because the ranking is the marketplace's; the read only counts them.</para>
/// <para>Round trips come in through <see cref="IRoundTripSink"/>, in memory only: the latest per checker per host, at
/// most <see cref="MaxRoundTripsPerHost"/>, none older than <see cref="RoundTripMaxAge"/> (a host may move). A host's
/// measured place is <see cref="LocationFit.Estimate"/> of them against its declared place.</para>
/// <para>A host's kept round trips are also in its standing (<see cref="HostStanding.RoundTripsMs"/>), for the placement
/// rules that bound a session's round trip.</para>
/// <para>Readers take an immutable snapshot swapped whole (<see cref="Version"/> grows with each that changes an offer);
/// writers (the refresh and <see cref="Measured"/>) take a lock, never held over I/O.</para>
/// </remarks>
internal sealed partial class HostTrackRecords(
    IDbContextFactory<GpunetDb> store, HostRegistry registry, IOptions<MarketOptions> options, TimeProvider time, ILogger<HostTrackRecords> log)
    : BackgroundService, IRoundTripSink
{
    /// <summary>Checkers' round trips kept per host: enough for a fit, few enough that old places fade.</summary>
    public const int MaxRoundTripsPerHost = 16;

    /// <summary>A round trip older than this no longer says where the host is.</summary>
    public static readonly TimeSpan RoundTripMaxAge = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, (LocationProbe Probe, DateTimeOffset At)>> _roundTrips = new(StringComparer.Ordinal);
    private Snapshot _snapshot = new(0, ImmutableDictionary<string, HostStanding>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Grows whenever a standing changed (a refresh, a new measured place); new round trips alone wait for the
    /// next refresh.</summary>
    public long Version => Volatile.Read(ref _snapshot).Version;

    /// <summary>The host's standing; <see cref="HostStanding.None"/> for a host not seen by a refresh yet.</summary>
    public HostStanding Of(string hostId) => Volatile.Read(ref _snapshot).Hosts.GetValueOrDefault(hostId) ?? HostStanding.None;

    /// <summary>The host's reputation, 0 to 1 (0.5 with no record).</summary>
    public double ReputationOf(string hostId) => Of(hostId).Reputation;

    /// <inheritdoc />
    public void Measured(string hostId, IReadOnlyList<LocationProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count == 0 || !registry.TryGet(hostId, out var entry))
            return;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_roundTrips.TryGetValue(hostId, out var latest))
                _roundTrips[hostId] = latest = new Dictionary<string, (LocationProbe, DateTimeOffset)>(StringComparer.Ordinal);
            foreach (var p in probes)
                latest[p.Checker.Value] = (p, now);
            var at = Place(entry, latest, now);
            var standing = Of(hostId);
            // A new measured place changes the host's offer, so the version grows; new round trips alone are read by
            // the placement rules at the next try, and counted as a change at the next refresh.
            Publish(Volatile.Read(ref _snapshot).Hosts.SetItem(hostId, standing with { MeasuredAt = at, RoundTripsMs = RoundTrips(latest) }),
                changed: standing.MeasuredAt != at);
        }
    }

    /// <summary>Reads the window's records and publishes every registered host's standing.</summary>
    internal async Task RefreshAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var since = now - options.Value.TrackRecordWindow;
        await using var db = await store.CreateDbContextAsync(ct);
        var checks = await db.Checks.AsNoTracking()
            .Where(c => c.DecidedAt >= since && !c.Honeypot
                && (c.Kind == CheckKind.Capacity || c.Kind == CheckKind.Liveness)
                && (c.Outcome == CheckOutcomes.Passed || c.Outcome == CheckOutcomes.Failed))
            .GroupBy(c => new { c.HostId, c.Kind, c.Outcome })
            .Select(g => new { g.Key.HostId, g.Key.Kind, g.Key.Outcome, Count = g.LongCount() })
            .ToListAsync(ct);
        var ends = await db.Leases.AsNoTracking()
            .Where(l => l.EndedAt >= since && l.HostId != null && l.EndReason != null)
            .GroupBy(l => new { l.HostId, l.EndReason })
            .Select(g => new { g.Key.HostId, g.Key.EndReason, Count = g.LongCount() })
            .ToListAsync(ct);
        var changes = (await db.HostTransitions.AsNoTracking().Where(t => t.At >= since)
                .Select(t => new { t.HostId, t.From, t.To, t.At }).ToListAsync(ct))
            .ToLookup(t => t.HostId, t => new HostStateChange(t.At, ParseState(t.From), ParseState(t.To) ?? HostState.Offline), StringComparer.Ordinal);

        var checkCounts = checks.ToLookup(c => c.HostId, StringComparer.Ordinal);
        var endCounts = ends.ToLookup(e => e.HostId!, StringComparer.Ordinal);
        lock (_gate)
        {
            var hosts = ImmutableDictionary.CreateBuilder<string, HostStanding>(StringComparer.Ordinal);
            foreach (var entry in registry.Entries)
            {
                long Checks(string kind, string outcome) =>
                    checkCounts[entry.Id].Where(c => c.Kind == kind && c.Outcome == outcome).Sum(c => c.Count);
                long Ends(LeaseEndCount count) =>
                    endCounts[entry.Id].Where(e => HostTrackRecordRules.Count(e.EndReason!) == count).Sum(e => e.Count);

                var offline = HostTrackRecordRules.OfflineMinutes([.. changes[entry.Id]], entry.State, since, now);
                var record = new HostTrackRecord(
                    Checks(CheckKind.Capacity, CheckOutcomes.Passed), Checks(CheckKind.Capacity, CheckOutcomes.Failed),
                    Checks(CheckKind.Liveness, CheckOutcomes.Passed),
                    Checks(CheckKind.Liveness, CheckOutcomes.Failed) + (long)Math.Round(offline),
                    Ends(LeaseEndCount.Completed), Ends(LeaseEndCount.Interrupted));
                var measured = _roundTrips.TryGetValue(entry.Id, out var latest);
                var at = measured ? Place(entry, latest!, now) : null;
                hosts[entry.Id] = new HostStanding(record, HostReputation.Of(record), at, measured ? RoundTrips(latest!) : []);
            }

            Publish(hosts.ToImmutable());
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LoopTimer.RunAsync(options.Value.TrackRecordInterval, time, RefreshAsync, e => LogRefreshFailed(log, e), stoppingToken);

    /// <summary>The host's measured place from its recent round trips (older ones dropped), or null when its declared
    /// place stands. Under the lock.</summary>
    private LocationPoint? Place(HostEntry entry, Dictionary<string, (LocationProbe Probe, DateTimeOffset At)> latest, DateTimeOffset now)
    {
        foreach (var (checker, _) in latest.Where(p => now - p.Value.At > RoundTripMaxAge).ToList())
            latest.Remove(checker);
        foreach (var (checker, _) in latest.OrderByDescending(p => p.Value.At).Skip(MaxRoundTripsPerHost).ToList())
            latest.Remove(checker);
        if (latest.Count == 0)
            return null;
        var declared = new LocationPoint(entry.Record.Latitude, entry.Record.Longitude);
        try
        {
            // Ordered by checker, so that the same round trips always give the same fit.
            var estimate = LocationFit.Estimate(declared, [.. latest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Probe)]);
            return estimate.Measured ? estimate.At : null;
        }
        catch (ArgumentException e)
        {
            LogBadRoundTrips(log, entry.Id, e.Message);
            latest.Clear();
            return null;
        }
    }

    /// <summary>The kept round trips in milliseconds, ordered by checker. Under the lock, after <see cref="Place"/>
    /// dropped the old ones.</summary>
    private static double[] RoundTrips(Dictionary<string, (LocationProbe Probe, DateTimeOffset At)> latest) =>
        [.. latest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Probe.RoundTripMs)];

    private void Publish(ImmutableDictionary<string, HostStanding> hosts, bool changed = true) =>
        Volatile.Write(ref _snapshot, new Snapshot(_snapshot.Version + (changed ? 1 : 0), hosts));

    private static HostState? ParseState(string state) => Enum.TryParse<HostState>(state, out var s) ? s : null;

    private sealed record Snapshot(long Version, ImmutableDictionary<string, HostStanding> Hosts);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Error, Message = "Reading hosts' track records failed; the last reputations stay until the next refresh")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "Round trips to host {HostId} dropped: {Reason}")]
    private static partial void LogBadRoundTrips(ILogger logger, string hostId, string reason);
}
