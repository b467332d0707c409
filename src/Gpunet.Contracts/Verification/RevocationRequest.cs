using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// Why the operator revokes a checker's licence (kept on the licence).
public sealed record RevocationRequest([property: Required, StringLength(500, MinimumLength = 1)] string? Reason);
