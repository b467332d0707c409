namespace Gpunet.Core.Verification;

/// <summary>The work a real GPU does for a capacity check: <see cref="Products"/> products of n × k times k × n, k =
/// <see cref="InnerSize"/> (<see cref="CapacityTiming.WorkFor"/>).</summary>
/// <param name="InnerSize">k, the inner dimension of each product.</param>
/// <param name="Products">Products per GPU.</param>
public readonly record struct CapacityWork(int InnerSize, int Products);
