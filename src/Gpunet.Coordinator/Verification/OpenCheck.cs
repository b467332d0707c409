using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;

namespace Gpunet.Coordinator.Verification;

/// <summary>A check issued and not yet decided: its stored record, who was assigned (and where they were), and the
/// reports taken so far.</summary>
/// <remarks>Reports are added under the check's own lock; the check is decided once, by whoever takes it from the
/// book.</remarks>
internal sealed class OpenCheck(CheckRecord record, IReadOnlyList<AssignmentCandidate> assigned, CapacityTask? task, HostEntry? host,
    OpenCheck? first = null)
{
    private readonly Dictionary<string, CheckReportRecord> _reports = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);

    public CheckRecord Record { get; } = record;

    public string Id => Record.Id;

    /// <summary>The 2N+1 checkers, with the places they were at when assigned.</summary>
    public IReadOnlyList<AssignmentCandidate> Assigned { get; } = assigned;

    /// <summary>Capacity checks: what was asked; null otherwise.</summary>
    public CapacityTask? Task { get; } = task;

    /// <summary>The host checked; null for a honeypot.</summary>
    public HostEntry? Host { get; } = host;

    /// <summary>A second panel's check: the first panel's check, whose reports decide it too; null otherwise.</summary>
    public OpenCheck? First { get; } = first;

    public bool IsAssigned(string checker) => Assigned.Any(a => a.Checker.Value == checker);

    /// <summary>Reserves the checker's one report; false when it already sent one (a replay).</summary>
    public bool TryAdd(CheckReportRecord report)
    {
        lock (_reports)
            return _reports.TryAdd(report.Checker, report);
    }

    /// <summary>The checker's report is in the store: it counts from now on.</summary>
    public void Stored(string checker)
    {
        lock (_reports)
            _stored.Add(checker);
    }

    /// <summary>Removes a report whose write failed, so that the checker may send it again.</summary>
    public void Remove(string checker)
    {
        lock (_reports)
            _reports.Remove(checker);
    }

    /// <summary>Every report in the store, by checker address (one still being written does not count yet).</summary>
    public List<CheckReportRecord> Reports()
    {
        lock (_reports)
            return [.. _reports.Values.Where(r => _stored.Contains(r.Checker)).OrderBy(r => r.Checker, StringComparer.Ordinal)];
    }

    /// <summary>Whether every assigned checker's report is in the store.</summary>
    public bool Complete
    {
        get
        {
            lock (_reports)
                return _stored.Count == Assigned.Count;
        }
    }

    /// <summary>The assigned checkers' addresses.</summary>
    public IReadOnlyList<Address> Checkers => [.. Assigned.Select(a => a.Checker)];
}
