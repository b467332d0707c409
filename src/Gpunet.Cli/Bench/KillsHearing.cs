namespace Gpunet.Cli.Bench;

/// <summary>How long each host went unheard because of the kills of <c>gpunet bench kills</c>: from each kill until
/// the host's first heartbeat at the restarted coordinator, which nobody could bill.</summary>
/// <remarks>The first heartbeat's time is the coordinator's own record: a restarted coordinator counts heartbeats from
/// zero, so the one it shows with a count of 1 is the first (with a higher count, its time less the intervals between).
/// A host not back before the next kill stays unheard through it. Used from one caller at a time.</remarks>
internal sealed class KillsHearing(IEnumerable<string> hostIds, TimeSpan heartbeat)
{
    private readonly Dictionary<string, DateTimeOffset?> _unheardSince = hostIds.ToDictionary(h => h, _ => (DateTimeOffset?)null, StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _unheard = new(StringComparer.Ordinal);

    /// <summary>Every host has been heard since the last kill.</summary>
    public bool AllHeard => _unheardSince.Values.All(v => v is null);

    /// <summary>The coordinator was killed at <paramref name="at"/>: every host heard until then is unheard from then.</summary>
    public void Killed(DateTimeOffset at)
    {
        foreach (var host in _unheardSince.Keys.ToList())
            _unheardSince[host] ??= at;
    }

    /// <summary>How long <paramref name="hostId"/> went unheard because of the kills.</summary>
    public TimeSpan Of(string hostId) => _unheard.GetValueOrDefault(hostId);

    /// <summary>Watches the running coordinator's hosts until every one is heard or <paramref name="ct"/> ends; a
    /// coordinator that cannot answer (it is being killed) is asked again.</summary>
    public async Task WatchAsync(KillsNetwork net, TimeProvider time, CancellationToken ct)
    {
        using var admin = net.Admin();
        while (!AllHeard && !ct.IsCancellationRequested)
        {
            try
            {
                foreach (var h in await admin.GetAsync<List<HostView>>("/api/v1/hosts", ct))
                {
                    if (h.Heartbeats > 0 && h.LastHeartbeatAt is { } last && _unheardSince.TryGetValue(h.Id, out var since) && since is { } from)
                    {
                        var first = last - (heartbeat * (h.Heartbeats - 1));
                        _unheard[h.Id] = Of(h.Id) + (first > from ? first - from : TimeSpan.Zero);
                        _unheardSince[h.Id] = null;
                    }
                }

            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is CliException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                // Not answering yet, or no longer (it is being killed).
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
