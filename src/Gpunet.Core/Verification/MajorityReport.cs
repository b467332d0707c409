using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>One checker's report for one check, its signature already verified by the coordinator.</summary>
/// <param name="Checker">The checker that signed it.</param>
/// <param name="Vote">Pass or fail.</param>
/// <param name="Measured">What it measured, by name (e.g. <c>rttMs</c>, <c>throughputMbps</c>, <c>responseMs</c>).</param>
/// <param name="Gpus">A capacity report's timing of each GPU (what <see cref="DissentRules"/> weighs); null otherwise.</param>
public sealed record MajorityReport(Address Checker, MajorityVote Vote, IReadOnlyDictionary<string, double> Measured,
    IReadOnlyList<CapacityGpuTiming>? Gpus = null);
