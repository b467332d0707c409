namespace Gpunet.Agent.Workloads;

/// <summary>One line a workload wrote, in order.</summary>
/// <param name="Sequence">Position among all lines of the workload, from 1.</param>
/// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="At">When the agent read it, UTC.</param>
public sealed record WorkloadLogLine(long Sequence, string Stream, string Text, DateTimeOffset At);
