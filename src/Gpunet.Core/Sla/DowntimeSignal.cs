namespace Gpunet.Core.Sla;

/// <summary>One piece of evidence of downtime as the store holds it: a host's Offline stretch, a failed check until the
/// next passed one, a declared maintenance window. Signals may overlap; <see cref="DowntimeTimeline"/> makes windows
/// of them that do not.</summary>
/// <param name="Start">When it began (UTC).</param>
/// <param name="End">When it ended; null while it still lasts.</param>
public sealed record DowntimeSignal(DateTimeOffset Start, DateTimeOffset? End, DowntimeCause Cause, string Detail);
