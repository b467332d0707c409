using Gpunet.Core.Marketplace;
using Gpunet.Core.Metering;

namespace Gpunet.Simulation;

/// <summary>What an agent sends its coordinator.</summary>
internal abstract record AgentMessage;

/// <summary>The first message on a new stream: the leases (and attempts) the agent runs now, or ended and has not yet
/// heard stored.</summary>
internal sealed record Hello(IReadOnlyList<(string Lease, int Attempt)> Running) : AgentMessage;

/// <summary>The agent is alive.</summary>
internal sealed record Heartbeat : AgentMessage
{
    public static readonly Heartbeat Instance = new();
}

/// <summary>A message the agent keeps until the coordinator acknowledges its <see cref="Key"/>, and sends again on
/// every new stream until then.</summary>
internal abstract record Reliable(string Key) : AgentMessage;

/// <summary>A signed usage report (signatures are checked by the real coordinator; here every agent is who it says).</summary>
internal sealed record UsageMessage(UsageStatement Statement)
    : Reliable($"u/{Statement.LeaseId}/{Statement.Attempt}/{Statement.Sequence}");

/// <summary>Output lines <paramref name="FirstSequence"/> to <paramref name="LastSequence"/> of an attempt (numbered from 1 per
/// attempt; their text does not matter here).</summary>
internal sealed record LogBatch(string Lease, int Attempt, long FirstSequence, long LastSequence) : Reliable($"l/{Lease}/{Attempt}/{LastSequence}");

/// <summary>The lease's workload started, at the agent's clock.</summary>
internal sealed record StartedMessage(string Lease, int Attempt, long StartedAgentMs) : Reliable($"s/{Lease}/{Attempt}");

/// <summary>The lease's workload ended, and why.</summary>
internal sealed record EndedMessage(string Lease, int Attempt, LeaseEndReason Reason) : Reliable($"e/{Lease}/{Attempt}");

/// <summary>What the coordinator sends an agent.</summary>
internal abstract record CoordinatorMessage;

/// <summary>Run attempt <paramref name="Attempt"/> of the lease on these GPUs, for <paramref name="DurationMs"/>.</summary>
internal sealed record StartCommand(string Lease, int Attempt, int[] Gpus, long DurationMs) : CoordinatorMessage;

/// <summary>Stop that attempt of the lease.</summary>
internal sealed record StopCommand(string Lease, int Attempt) : CoordinatorMessage;

/// <summary>The message with this key is stored (or refused for good): the agent may forget it.</summary>
internal sealed record Acknowledged(string Key) : CoordinatorMessage;
