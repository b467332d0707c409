using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>A report that does not count, and why; the coordinator records it and counts it against the sender.</summary>
public sealed record MajorityRejection(Address Checker, MajorityRejectionReason Reason);
