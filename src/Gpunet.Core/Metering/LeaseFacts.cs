namespace Gpunet.Core.Metering;

/// <summary>What the coordinator knows of a lease, as far as metering needs it.</summary>
/// <param name="HostId">The host it is placed on; null when not placed.</param>
/// <param name="StartedUnixMs">When its workload started (as the agent reported); null before that.</param>
/// <param name="EndedUnixMs">When it ended; null while it runs.</param>
/// <param name="Gpus">GPUs it holds.</param>
/// <param name="GpuMilli">Share of each GPU, thousandths.</param>
/// <param name="Attempt">Its current placement, from 1: only that attempt's host reports on it.</param>
public sealed record LeaseFacts(string? HostId, long? StartedUnixMs, long? EndedUnixMs, int Gpus, int GpuMilli, int Attempt);
