namespace Gpunet.Contracts.Marketplace;

/// <summary>One line a lease's workload wrote.</summary>
public sealed record LogLineView(long Sequence, string Stream, string Text, DateTimeOffset At);
