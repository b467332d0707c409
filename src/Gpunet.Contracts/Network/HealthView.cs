using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Network;

/// <summary>What <c>GET /healthz</c> answers while the store is reachable (the OpenAPI document's shape of it).</summary>
/// <param name="Hosts">Hosts in the registry.</param>
public sealed record HealthView([property: AllowedValues("ok")] string Status, int Hosts);
