using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// The operator grants a checker licence to a wallet, or revokes it, with a reason kept on the licence.
public sealed record LicenceRequest(
    [property: Required, RegularExpression(ApiPatterns.Address)] string? Address,
    [property: StringLength(500)] string? Reason);
