namespace Gpunet.Core.Sla;

/// <summary>Which hosts broke the host SLO in a month, from their offline seconds per UTC day: a day offline for the daily
/// limit or more (30 minutes), or a month offline for more than (1 − monthly uptime) of the month (1 %: about 7.4 hours
/// in a 31-day month), as <see cref="HostSloRewards"/> withholds capacity rewards.</summary>
public static class HostSloBreaches
{
    /// <summary>Every host over its allowance, worst (most offline) first, ties by host id.</summary>
    /// <param name="offlineByDay">For each UTC day of the month so far, each host's offline seconds that day (hosts with
    /// none may be left out).</param>
    /// <param name="monthlyAllowanceSeconds">The month's allowance (<see cref="HostSloRewards.MonthlyAllowanceSeconds"/>).</param>
    public static List<HostSloBreach> Of(IEnumerable<IReadOnlyDictionary<string, long>> offlineByDay, TimeSpan dailyLimit, double monthlyAllowanceSeconds)
    {
        ArgumentNullException.ThrowIfNull(offlineByDay);
        var hosts = new Dictionary<string, (long Total, int Days, long Worst)>(StringComparer.Ordinal);
        foreach (var day in offlineByDay)
        {
            foreach (var (host, seconds) in day)
            {
                if (seconds <= 0)
                    continue;
                var (total, days, worst) = hosts.GetValueOrDefault(host);
                hosts[host] = (total + seconds, days + (HostSloRewards.KeepsCapacityReward(seconds, dailyLimit) ? 0 : 1), Math.Max(worst, seconds));
            }
        }

        return [.. hosts.Where(h => h.Value.Days > 0 || h.Value.Total > monthlyAllowanceSeconds)
            .Select(h => new HostSloBreach(h.Key, h.Value.Total, h.Value.Days, h.Value.Worst, h.Value.Total > monthlyAllowanceSeconds))
            .OrderByDescending(b => b.OfflineSeconds).ThenBy(b => b.HostId, StringComparer.Ordinal)];
    }
}
