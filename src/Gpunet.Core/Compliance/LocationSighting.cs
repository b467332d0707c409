using System.Net;

namespace Gpunet.Core.Compliance;

/// <summary>What a coordinator sees of a host when it locates it.</summary>
/// <param name="DeclaredCountry">The country the host declares.</param>
/// <param name="DeclaredPublicIp">The public address the host declares; empty for none.</param>
/// <param name="Connection">The address the agent connects from, as the coordinator sees it; null when unknown.</param>
/// <param name="ConnectionIsPublic">Whether <paramref name="Connection"/> could be a host's public address (not loopback,
/// private, shared or reserved).</param>
/// <param name="TrustDeclared">Whether this network is configured to take a host's declared location and address as
/// evidence (a devnet, tests: agents on this machine).</param>
public sealed record LocationSighting(string DeclaredCountry, string DeclaredPublicIp, IPAddress? Connection, bool ConnectionIsPublic, bool TrustDeclared);
