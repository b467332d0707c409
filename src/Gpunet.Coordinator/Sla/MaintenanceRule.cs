using System.Collections.Immutable;
using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Sla;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>The matcher's look at declared maintenance: a host is refused for an order whose lease would run into one
/// of its windows (<see cref="MaintenanceRules.Blocking"/>): a lease with hours for its whole length from now, an
/// open-ended one for <see cref="SlaOptions.MaintenanceLookahead"/>.</summary>
/// <remarks>
/// <para>The standing windows live in memory as an immutable map from host to its windows by start, swapped whole:
/// the market's loop reads it without a lock or I/O. It is read from the store at start and every
/// <see cref="SlaOptions.MaintenanceRefreshInterval"/> (windows declared or withdrawn through another coordinator), and
/// changed at once by this coordinator's own declarations and withdrawals.</para>
/// <para>Writers take a lock, never held over I/O. A refresh that read the store while this coordinator changed a
/// window reads again, so a declaration made meanwhile is never dropped by an older read.</para>
/// <para>Leases already running when a window begins are left alone: the window counts as maintenance in the
/// measurement, not against their customers.</para>
/// </remarks>
internal sealed partial class MaintenanceRule(MaintenanceStore store, IOptions<SlaOptions> options, TimeProvider time, ILogger<MaintenanceRule> log)
    : BackgroundService, IPlacementRule
{
    private const int ReadsPerRefresh = 3;

    private readonly Lock _gate = new();
    private ImmutableDictionary<string, MaintenanceWindow[]> _windows = ImmutableDictionary<string, MaintenanceWindow[]>.Empty.WithComparers(StringComparer.Ordinal);
    private long _changes;

    /// <inheritdoc />
    public Func<HostSlot, string?>? For(OrderInfo info, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        var windows = Volatile.Read(ref _windows);
        if (windows.IsEmpty)
            return null;
        var duration = info.Spec.Duration;
        var lookahead = options.Value.MaintenanceLookahead;
        return slot => windows.TryGetValue(slot.Entry.Id, out var own) && MaintenanceRules.Blocking(own, now, duration, lookahead) is { } window
            ? MaintenanceRules.Refusal(window)
            : null;
    }

    /// <summary>The host's standing windows as the matcher has them, by start.</summary>
    public IReadOnlyList<MaintenanceWindow> Of(string hostId) => Volatile.Read(ref _windows).GetValueOrDefault(hostId) ?? [];

    /// <summary>A window this coordinator stored: the matcher counts it from now on.</summary>
    public void Declared(MaintenanceWindowRecord window)
    {
        ArgumentNullException.ThrowIfNull(window);
        lock (_gate)
        {
            _changes++;
            var own = _windows.GetValueOrDefault(window.HostId) ?? [];
            MaintenanceWindow[] next = [.. own.Where(w => w.Id != window.Id).Append(Of(window)).OrderBy(w => w.From).ThenBy(w => w.Id)];
            Volatile.Write(ref _windows, _windows.SetItem(window.HostId, next));
        }
    }

    /// <summary>A window this coordinator withdrew: the matcher no longer counts it.</summary>
    public void Withdrawn(string hostId, long id)
    {
        lock (_gate)
        {
            _changes++;
            if (_windows.GetValueOrDefault(hostId) is not { } own)
                return;
            MaintenanceWindow[] next = [.. own.Where(w => w.Id != id)];
            Volatile.Write(ref _windows, next.Length == 0 ? _windows.Remove(hostId) : _windows.SetItem(hostId, next));
        }
    }

    /// <summary>Reads the standing windows from the store and swaps them in.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        for (var read = 0; read < ReadsPerRefresh; read++)
        {
            long seen;
            lock (_gate)
                seen = _changes;
            var rows = await store.StandingAsync(null, time.GetUtcNow(), ct);
            lock (_gate)
            {
                if (_changes != seen)
                    continue; // a window of this coordinator's changed while the store was read: the read may miss it
                Volatile.Write(ref _windows, rows.GroupBy(r => r.HostId, StringComparer.Ordinal)
                    .ToImmutableDictionary(g => g.Key, g => g.Select(Of).ToArray(), StringComparer.Ordinal));
                return;
            }
        }

        // Declarations kept coming: the copy stays as they left it, and the next tick reads again.
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LoopTimer.RunAsync(options.Value.MaintenanceRefreshInterval, time, RefreshAsync, e => LogRefreshFailed(log, e), stoppingToken);

    private static MaintenanceWindow Of(MaintenanceWindowRecord r) => new(r.Id, r.From, r.To);

    [LoggerMessage(EventId = 8110, Level = LogLevel.Error, Message = "Reading the standing maintenance windows failed; the matcher keeps its last copy until the next refresh")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
