using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// An officer's clearance of a host's location, with the evidence.
public sealed record ClearRequest([property: Required, StringLength(500, MinimumLength = 1)] string? Reason);
