using Gpunet.Protocol;

namespace Gpunet.Coordinator.Agents;

/// <summary>One stream's usage reports that wait for a heartbeat after their period's end, in arrival order.</summary>
/// <remarks>Used by the stream's receive loop only (not thread-safe). Bounded: beyond <see cref="Capacity"/> a report is
/// not held, and is answered with what was heard so far.</remarks>
internal sealed class WaitingUsage
{
    /// <summary>Most reports held (an agent sends one per running lease per minute).</summary>
    public const int Capacity = 1024;

    private readonly List<(UsageReport Report, long ReceivedMs)> _reports = [];

    public int Count => _reports.Count;

    /// <summary>Holds <paramref name="report"/>; false when full.</summary>
    public bool TryAdd(UsageReport report, long receivedMs)
    {
        if (_reports.Count >= Capacity)
            return false;
        _reports.Add((report, receivedMs));
        return true;
    }

    /// <summary>Takes the reports whose period ends by <paramref name="heardThroughMs"/>, or that arrived before
    /// <paramref name="receivedBeforeMs"/>.</summary>
    public List<UsageReport> TakeReady(long heardThroughMs, long receivedBeforeMs)
    {
        var ready = new List<UsageReport>();
        _reports.RemoveAll(w =>
        {
            if (w.Report.ToUnixMs > heardThroughMs && w.ReceivedMs >= receivedBeforeMs)
                return false;
            ready.Add(w.Report);
            return true;
        });
        return ready;
    }

    /// <summary>Takes every report held.</summary>
    public List<(UsageReport Report, long ReceivedMs)> TakeAll()
    {
        var all = new List<(UsageReport, long)>(_reports);
        _reports.Clear();
        return all;
    }
}
