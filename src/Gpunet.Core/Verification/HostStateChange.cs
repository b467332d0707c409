using Gpunet.Core.Hosts;

namespace Gpunet.Core.Verification;

/// <summary>One change of a host's lifecycle state, as its track record reads it.</summary>
/// <param name="At">When, UTC.</param>
/// <param name="From">The state before; null for the registration (the host did not exist).</param>
/// <param name="To">The state after.</param>
public readonly record struct HostStateChange(DateTimeOffset At, HostState? From, HostState To);
