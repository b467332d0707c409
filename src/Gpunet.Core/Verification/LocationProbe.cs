using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>One round trip measured by a checker at a known place to a host.</summary>
/// <param name="Checker">The checker that measured (and signed) it.</param>
/// <param name="CheckerAt">Where the checker is; its own place is part of its licence, not a claim of the host.</param>
/// <param name="RoundTripMs">The smallest round trip the checker saw, in milliseconds.</param>
public sealed record LocationProbe(Address Checker, LocationPoint CheckerAt, double RoundTripMs);
