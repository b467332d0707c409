using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Protocol;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What agents told the market and it has not applied yet, in the order it came: reports of what became of a
/// lease's workload, and (re)connections. The market's loop takes it all at once (<see cref="TakeRuns"/>), so reports
/// that piled up while it was busy are applied together.</summary>
/// <remarks>Thread-safe: agents' streams add, the market's loop applies (<see cref="ApplyAsync"/>).</remarks>
internal sealed partial class ReportInbox(AgentReports reports, HostFailover failover, ILogger log)
{
    private readonly Inbox<Item> _items = new();

    /// <summary>One thing an agent said: a report, or a (re)connection with what it still runs.</summary>
    internal sealed record Item(HostEntry Entry, LeaseReport? Report, AgentSession? Session, IReadOnlyList<LeaseReport>? Running)
    {
        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Adds <paramref name="item"/>; true when the inbox was empty, so the caller must have it taken.</summary>
    public bool Add(Item item) => _items.Add(item);

    /// <summary>Takes everything, in runs applied one after another: a run is one connection alone, or reports each of
    /// another lease (a second report of a lease starts a new run, so its first is applied before it).</summary>
    private List<List<Item>> TakeRuns()
    {
        var items = _items.TakeAll();
        var runs = new List<List<Item>>();
        List<Item>? run = null;
        var leases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Report is null || run is null || !leases.Add(item.Report.LeaseId))
            {
                run = [item];
                runs.Add(run);
                leases.Clear();
                if (item.Report is null)
                    run = null; // a connection stands alone
                else
                    leases.Add(item.Report.LeaseId);
                continue;
            }

            run.Add(item);
        }

        return runs;
    }

    /// <summary>Applies everything waiting, run after run; each item's <see cref="Item.Applied"/> completes after its run
    /// (also when it failed: logged, and the agent's next report or reconnection says it again).</summary>
    public async Task ApplyAsync(CancellationToken ct)
    {
        var runs = TakeRuns();
        try
        {
            foreach (var run in runs)
            {
                try
                {
                    if (run[0] is { Report: null, Session: { } session } connected)
                    {
                        failover.Reconnected(connected.Entry.Id);
                        await reports.ConnectedAsync(connected.Entry, session, connected.Running ?? [], ct);
                    }
                    else
                    {
                        await reports.ApplyAsync([.. run.Select(i => (i.Entry, i.Report!))], ct);
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // One run's failure does not cost the runs after it theirs, as one piece of work would not.
                    LogReportsFailed(log, run.Count, e);
                }

                foreach (var item in run)
                    item.Applied.TrySetResult();
            }
        }
        finally
        {
            foreach (var item in runs.SelectMany(r => r))
                item.Applied.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 4040, Level = LogLevel.Error, Message = "Applying {Count} agent reports failed")]
    private static partial void LogReportsFailed(ILogger logger, int count, Exception e);
}
