namespace Gpunet.Contracts.Hosts;

/// <summary>One lifecycle state change of a host; <see cref="From"/> is <c>New</c> for the registration itself.</summary>
public sealed record TransitionView(string From, string To, string Reason, DateTimeOffset At);
