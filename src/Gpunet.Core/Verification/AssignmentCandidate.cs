using Gpunet.Core.Geography;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>A checker the coordinator knows, as the assignment rule sees it.</summary>
/// <param name="Checker">The checker's own wallet address.</param>
/// <param name="Operator">The wallet of the person or company that runs it.</param>
/// <param name="At">Where it is.</param>
/// <param name="Country">The country it is in.</param>
/// <param name="Licensed">Whether the network operator's licence for it stands (granted, not revoked).</param>
/// <param name="Connected">Whether its stream to the coordinator is open, so that it can take an assignment now.</param>
public sealed record AssignmentCandidate(Address Checker, Address Operator, LocationPoint At, CountryCode Country, bool Licensed, bool Connected);
