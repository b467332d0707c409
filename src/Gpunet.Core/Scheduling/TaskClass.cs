namespace Gpunet.Core.Scheduling;

/// <summary>One kind of task in a <see cref="WorkloadDistribution"/>: its GPU shape, mean CPU and memory, models,
/// and its share of all tasks (0 to 1).</summary>
internal readonly record struct TaskClass(int GpuCount, int GpuMilli, int CpuMilli, int MemoryMib, IReadOnlyList<string> Models, double Weight);
