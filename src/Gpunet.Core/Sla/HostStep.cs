using Gpunet.Core.Hosts;

namespace Gpunet.Core.Sla;

/// <summary>One stored change of a host's state: from <paramref name="At"/> it was <paramref name="To"/>, for
/// <paramref name="Reason"/>.</summary>
public sealed record HostStep(DateTimeOffset At, HostState To, string Reason);
