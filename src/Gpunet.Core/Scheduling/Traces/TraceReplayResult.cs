namespace Gpunet.Core.Scheduling.Traces;

/// <summary>What one policy achieved on one trace replay.</summary>
/// <remarks>GPU figures in thousandths of a GPU. <see cref="AllocatedShareAtFirstFailure"/> is the share of the
/// cluster's GPU thousandths allocated when the first pod that asks for GPUs could not be placed; null when none
/// failed.</remarks>
public sealed record TraceReplayResult(
    string Policy,
    int Placed,
    int Failed,
    long GpuMilliRequested,
    long GpuMilliPlaced,
    double? AllocatedShareAtFirstFailure,
    double FinalAllocatedShare)
{
    /// <summary>Placement decisions taken (placed and failed).</summary>
    public int Decisions => Placed + Failed;

    /// <summary>GPU thousandths placed over GPU thousandths requested (1 when none were requested).</summary>
    public double GpuDemandPlacedShare => GpuMilliRequested == 0 ? 1 : (double)GpuMilliPlaced / GpuMilliRequested;
}
