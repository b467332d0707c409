using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core;
using Gpunet.Core.Marketplace;
using Gpunet.Protocol;
using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What agents say about their leases: a workload started or ended, and, when an agent (re)connects, what it
/// still runs. Each is applied to the lease through the <see cref="LeaseDriver"/> or the <see cref="LeaseCloser"/>. A
/// RUNNING report of a session or service carries the port its agent gave it: the lease's endpoint is the host's
/// address and that port (<see cref="LeaseEndpoint"/>).</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed partial class AgentReports(
    LeaseStore store,
    LeaseDriver driver,
    LeaseCloser closer,
    HeldLeases held,
    AgentCommands commands,
    LogIntake logs,
    OrderBook orders,
    ILogger log)
{
    /// <summary>An agent (re)connected, telling what it runs and what ended while it was away.</summary>
    public async Task ConnectedAsync(HostEntry entry, AgentSession session, IReadOnlyList<LeaseReport> reports, CancellationToken ct)
    {
        foreach (var report in reports)
            await ApplyAsync(entry, report, ct);

        // Most registrations are of hosts with no lease at all: no query for them (leases other coordinators place
        // here are found by the periodic scan, and held from then on).
        if (reports.Count == 0 && !held.HoldsOn(entry))
            return;

        var known = reports.Select(r => r.LeaseId).ToHashSet(StringComparer.Ordinal);
        foreach (var lease in await store.PlacedOnAsync(entry.Id, ct))
        {
            // The market may place a lease on the host between the stream's attach and this: its first start went out on
            // this very stream, after the hello, which therefore cannot list it; nothing of it ran before, so it is neither
            // lost nor to be started again. (A start sent again on this stream, of an attempt that went out before, is not
            // passed over: the agent's hello says whether that one ran.)
            if (held.TryGet(lease.Id, out var sent) && sent.FirstSentOn == session)
                continue;
            if (lease.State == nameof(LeaseState.Running) && !known.Contains(lease.Id))
            {
                await closer.EndAsync(lease, LeaseEndReason.WorkloadLost, "the agent restarted and no longer runs the workload", null, stopAgent: false, ct);
            }
            else if (lease.State == nameof(LeaseState.Running))
            {
                // Held here from now on (its lines, its end, its term), also when the agent came from another coordinator.
                await held.HoldAsync(lease, ct);
            }
            else if (lease.State == nameof(LeaseState.Starting) && await held.HoldAsync(lease, ct) is { } placed
                && (known.Contains(lease.Id) || !placed.MayHaveStarted ? placed : await StartAgainAsync(lease, placed, ct)) is { } starting)
            {
                // A start that never went out cannot have run: it goes out now as the same attempt.
                await commands.DispatchAsync(starting, session, ct);
            }
        }
    }

    /// <summary>A lease still Starting that its agent, connecting again, does not run, and whose start may have gone out
    /// (<see cref="HeldLease.MayHaveStarted"/>): the agent may have run it and restarted before its start report was
    /// stored (its lines may be stored), so the start sent again is a new attempt, whose lines and usage are numbered
    /// apart from the earlier run's. Null when the lease moved on in the store.</summary>
    private async Task<HeldLease?> StartAgainAsync(LeaseRecord lease, HeldLease placed, CancellationToken ct)
    {
        var attempt = lease.Attempt + 1;
        if (!await driver.StartAgainAsync(lease, attempt, $"started again as attempt {attempt}: its agent connected again without it", ct))
            return null;

        return held.StartAgain(placed, attempt);
    }

    /// <summary>An agent says what became of a lease's workload.</summary>
    public async Task ApplyAsync(HostEntry entry, LeaseReport report, CancellationToken ct) =>
        await ApplyAsync(entry, report, await store.LeaseAsync(report.LeaseId, ct), ct);

    /// <summary>Agents' reports, each of another lease, in the order they came: the leases are read in one query, and
    /// the starts and ends they report stored in one transaction (their capacity given back in another), so a market
    /// behind on its work catches up in a few store calls rather than two or three per report. A lease another
    /// coordinator changed meanwhile has its report applied again alone, on the lease read anew.</summary>
    public async Task ApplyAsync(IReadOnlyList<(HostEntry Entry, LeaseReport Report)> reports, CancellationToken ct)
    {
        if (reports.Count == 1)
        {
            await ApplyAsync(reports[0].Entry, reports[0].Report, ct);
            return;
        }

        var leases = await store.LeasesAsync([.. reports.Select(r => r.Report.LeaseId)], ct);
        var staged = new List<(HostEntry Entry, LeaseReport Report, LeaseRecord Lease, LeaseCloser.Ending? Ending)>();
        foreach (var (entry, report) in reports)
        {
            var lease = leases.GetValueOrDefault(report.LeaseId);
            var state = lease is null ? (LeaseState?)null : Enum.Parse<LeaseState>(lease.State);
            if (lease is null || lease.HostId != entry.Id || state is not { } s || LeaseLifecycle.IsEnded(s)
                || (report.Phase == Phase.Running && s != LeaseState.Starting))
            {
                await ApplyAsync(entry, report, lease, ct); // nothing to store, or seldom: one at a time
            }
            else if (report.Phase == Phase.Running)
            {
                var endpoint = await EndpointAsync(entry, lease, report.EndpointPort, ct);
                if (driver.Stage(lease, LeaseState.Running, Started(At(report), endpoint)))
                    staged.Add((entry, report, lease, null));
            }
            else
            {
                await logs.CloseAsync(lease.Id); // a reader that sees the lease ended then finds every line it wrote
                var ending = LeaseCloser.Ending.Of(lease, stopAgent: false);
                var (reason, detail) = EndOf(report);
                if (driver.StageEnd(lease, reason, detail, report.Phase == Phase.Exited ? report.ExitCode : null))
                    staged.Add((entry, report, lease, ending));
            }
        }

        var stored = await driver.SaveStagedAsync([.. staged.Select(x => (IReadOnlyList<LeaseRecord>)[x.Lease])], ct);
        var saved = staged.Where((_, i) => stored[i]).Select(x => x.Lease.Id).ToHashSet(StringComparer.Ordinal);
        var ended = new List<LeaseCloser.Ending>();
        foreach (var (entry, report, lease, ending) in staged)
        {
            if (!saved.Contains(lease.Id))
                continue;
            if (ending is not null)
                ended.Add(ending);
            else if (held.TryGet(lease.Id, out var placed))
                placed.StartedAt = lease.StartedAt;
        }

        await closer.EndedAsync(ended);
        foreach (var (entry, report, lease, ending) in staged)
        {
            if (!saved.Contains(lease.Id))
                await ApplyAsync(entry, report, ct); // moved on in the store: decided again on what it is now
            else if (ending is not null && entry.Session is { } session)
                AgentCommands.Forget(session, lease.Id);
        }
    }

    private Task ApplyAsync(HostEntry entry, LeaseReport report, LeaseRecord? lease, CancellationToken ct) =>
        ApplyAsync(entry, report, lease, MovedOnTries, ct);

    // How often a start report is decided again on a lease another coordinator changed between its read and its save.
    private const int MovedOnTries = 3;

    private async Task ApplyAsync(HostEntry entry, LeaseReport report, LeaseRecord? lease, int tries, CancellationToken ct)
    {
        var session = entry.Session;
        if (lease is null || lease.HostId != entry.Id)
        {
            // Not this host's lease (or a lease moved away while the host was gone): stop it, and forget the report.
            LogForeignReport(log, entry.Id, report.LeaseId);
            if (session is not null && report.Phase == Phase.Running)
                AgentCommands.Stop(session, report.LeaseId, "the lease is not on this host");
            else if (session is not null)
                AgentCommands.Forget(session, report.LeaseId);
            return;
        }

        var state = Enum.Parse<LeaseState>(lease.State);
        var at = At(report);
        if (report.Phase == Phase.Running)
        {
            if (LeaseLifecycle.IsEnded(state) && session is not null)
            {
                AgentCommands.Stop(session, lease.Id, $"the lease ended ({lease.EndReason})");
            }
            else if (state == LeaseState.Starting)
            {
                var endpoint = await EndpointAsync(entry, lease, report.EndpointPort, ct);
                if (await driver.MoveAsync(lease, LeaseState.Running, Started(at, endpoint), ct))
                {
                    if (held.TryGet(lease.Id, out var placed))
                        placed.StartedAt = at;
                }
                else if (tries > 1)
                {
                    // Moved on in the store since it was read: decided again on what it is now. Dropped, the start would
                    // leave the lease Starting, and the start deadline would end a workload that runs as never started.
                    await ApplyAsync(entry, report, await store.LeaseAsync(lease.Id, ct), tries - 1, ct);
                }
            }
            else if (state == LeaseState.Running && await EndpointAsync(entry, lease, report.EndpointPort, ct) is { } endpoint
                && endpoint != lease.Endpoint)
            {
                // Said again on a new stream: the host may now connect from another address.
                await driver.NoteEndpointAsync(lease, endpoint, ct);
            }

            return;
        }

        await logs.CloseAsync(lease.Id); // a reader that sees the lease ended then finds every line it wrote
        if (!LeaseLifecycle.IsEnded(state) && !await EndAsync(lease, report, ct))
            return; // not forgotten: the agent tells it again when it connects again

        if (session is not null)
            AgentCommands.Forget(session, lease.Id);
    }

    // Ends a lease as its agent reported it ended, also when another coordinator moved it meanwhile (it holds it too, or
    // took a report of it), so that the agent's word is not lost. False when it is still not ended.
    private Task<bool> EndAsync(LeaseRecord lease, LeaseReport report, CancellationToken ct)
    {
        var (reason, detail) = EndOf(report);
        return closer.EndAsStoredAsync(lease, reason, detail, report.Phase == Phase.Exited ? report.ExitCode : null, ct);
    }

    /// <summary>When the agent says the workload started or ended (clamped to what a timestamp can hold).</summary>
    private static DateTimeOffset At(LeaseReport report) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(report.AtUnixMs, 0, 253402300799999));

    private static Action<LeaseRecord> Started(DateTimeOffset at, string? endpoint) => l =>
    {
        l.StartedAt = at;
        l.StateReason = $"running on {l.HostId} GPU {(l.GpuIndices.Length == 0 ? "none" : l.GpuIndices)}";
        l.Endpoint = endpoint;
    };

    /// <summary>Why a reported end ends the lease, in the core's words, and the detail shown with it: the agent's own
    /// words cut to <see cref="MaxDetailLength"/>, since the lease and its history keep them.</summary>
    private static (LeaseEndReason Reason, string Detail) EndOf(LeaseReport report) => report.Phase switch
    {
        Phase.Exited => (LeaseLifecycle.ForExit(report.ExitCode), $"exited with code {report.ExitCode}"),
        Phase.StartFailed => (LeaseEndReason.StartFailed, ShortText.Cut(report.Detail, MaxDetailLength)),
        _ => LeaseLifecycle.ForKill(Cause(report.KillCause), ShortText.Cut(report.Detail, MaxDetailLength)),
    };

    // The most of an agent's account of an end a lease keeps (an agent's are a line: "memory limit of 4096 MiB reached").
    private const int MaxDetailLength = 1000;

    /// <summary>The lease's endpoint for the port its agent reported; null when it gets none (a job that named no port, a
    /// port that is not one, an agent that gave none).</summary>
    private async Task<string?> EndpointAsync(HostEntry entry, LeaseRecord lease, int port, CancellationToken ct)
    {
        if (port == 0 || await orders.GetAsync(lease.OrderId, ct) is not { } order || !LeaseEndpoint.IsExpected(order.Spec.Kind, order.Spec.Port))
            return null;
        var endpoint = LeaseEndpoint.Of(entry.Record.PublicIp, entry.Place, port);
        if (endpoint is null)
            LogBadEndpointPort(log, entry.Id, lease.Id, port);
        return endpoint;
    }

    /// <summary>The agent's kill cause in the core's words (an agent from before the field sends none).</summary>
    internal static WorkloadKillCause Cause(KillCause cause) => cause switch
    {
        KillCause.StopRequested => WorkloadKillCause.StopRequested,
        KillCause.TimeLimit => WorkloadKillCause.TimeLimit,
        KillCause.MemoryLimit => WorkloadKillCause.MemoryLimit,
        KillCause.AgentStopping => WorkloadKillCause.AgentStopping,
        _ => WorkloadKillCause.Unknown,
    };

    [LoggerMessage(EventId = 4016, Level = LogLevel.Warning, Message = "Host {HostId} reported port {Port} for lease {LeaseId}, which is no port; no endpoint")]
    private static partial void LogBadEndpointPort(ILogger logger, string hostId, string leaseId, int port);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Host {HostId} reported lease {LeaseId}, which is not its own")]
    private static partial void LogForeignReport(ILogger logger, string hostId, string leaseId);
}
