using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>One placement of a lease as a chaos host's agent runs it: its start command, and what it has reported of it
/// (usage numbered from 1 per attempt, lines likewise).</summary>
internal sealed class ChaosRun(StartLease lease, long startedMs)
{
    public StartLease Lease { get; } = lease;

    public long StartedMs { get; } = startedMs;

    /// <summary>The end of the last period reported (the next report starts there).</summary>
    public long ReportedToMs { get; set; } = startedMs;

    public long NextUsage { get; set; } = 1;

    public long NextLine { get; set; } = 1;

    /// <summary>The reports sent so far and their answers, to be sent again late (a duplicate, or one overtaken by later
    /// ones): the same report again is answered as before.</summary>
    public List<(UsageReport Report, UsageAck Ack)> Sent { get; } = [];

    /// <summary>The last batch of lines sent: its first sequence and its lines.</summary>
    public (long First, string[] Lines)? LastBatch { get; set; }

    /// <summary>Batches whose acknowledgement was lost with the stream: sent again on the next.</summary>
    public List<(long First, string[] Lines)> UnackedLines { get; } = [];

    /// <summary>Reports whose answer was lost with the stream (and what it was): sent again on the next.</summary>
    public List<(UsageReport Report, UsageAck Ack)> UnackedUsage { get; } = [];

    /// <summary>The workload's exit while the agent had no stream: told at the next registration.</summary>
    public (int Code, long AtMs)? ExitedAway { get; set; }

    /// <summary>What the agent tells a coordinator it registers with: the workload still runs, or how it ended.</summary>
    public LeaseReport Registered() => ExitedAway is { } exit
        ? new() { LeaseId = Lease.LeaseId, Phase = LeaseReport.Types.Phase.Exited, ExitCode = exit.Code, AtUnixMs = exit.AtMs }
        : new() { LeaseId = Lease.LeaseId, Phase = LeaseReport.Types.Phase.Running, AtUnixMs = StartedMs };
}
