using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>A known checker left out of an assignment, and why (the first reason that applies, in the order of
/// <see cref="AssignmentExclusionReason"/>).</summary>
public sealed record AssignmentExclusion(Address Checker, AssignmentExclusionReason Reason);
