namespace Gpunet.Core.Hosts;

/// <summary>A change of a host's state decided by the health policy, with the reason a person reads.</summary>
/// <param name="HostId">The host's id.</param>
/// <param name="From">The state the host was in.</param>
/// <param name="To">The state the host moves to; equal to <paramref name="From"/> only when a compliance hold's reason changes.</param>
/// <param name="Reason">Why, with numbers, e.g. <c>no heartbeat for 34 s (3 intervals of 10 s missed)</c>.</param>
/// <param name="At">When the policy decided it (the evaluation time, UTC).</param>
public sealed record HostTransition(string HostId, HostState From, HostState To, string Reason, DateTimeOffset At);
