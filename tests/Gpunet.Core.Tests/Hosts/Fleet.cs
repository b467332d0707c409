using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

/// <summary>A simulated set of hosts that applies the policy's transitions the way the coordinator would.</summary>
internal sealed class Fleet
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<HostHealthSample> _hosts = [];

    public IReadOnlyList<HostHealthSample> Hosts => _hosts;

    public HostHealthSample this[string id] => _hosts.Single(h => h.HostId == id);

    /// <summary>Adds hosts <c>{prefix}-00</c>, <c>{prefix}-01</c>, … in <paramref name="zone"/>.</summary>
    public IReadOnlyList<string> Add(string prefix, int count, string zone, HostState state, DateTimeOffset since, DateTimeOffset? lastHeard)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i:00}";
            _hosts.Add(new HostHealthSample(id, state, since, zone, lastHeard));
            ids.Add(id);
        }

        return ids;
    }

    public void Heard(IEnumerable<string> ids, DateTimeOffset at)
    {
        foreach (var id in ids)
            Replace(id, h => h with { LastHeardAt = at });
    }

    public void Apply(HostHealthEvaluation evaluation)
    {
        foreach (var t in evaluation.Transitions)
            Replace(t.HostId, h => h with { State = t.To, StateSince = t.At });
    }

    public int Count(HostState state) => _hosts.Count(h => h.State == state);

    private void Replace(string id, Func<HostHealthSample, HostHealthSample> change)
    {
        var i = _hosts.FindIndex(h => h.HostId == id);
        _hosts[i] = change(_hosts[i]);
    }
}
