using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// A checker's licence: a wallet the network operator admitted as a checker (state "active"), or no longer ("revoked").
// Standing: its marks and fail dissents this week, in the list (null where a licence alone is answered: grant, revoke).
public sealed record CheckerLicenceView(
    [property: RegularExpression(ApiPatterns.Address)] string Address,
    [property: MaxLength(TextLimits.Label)] string State,
    DateTimeOffset GrantedAt,
    [property: RegularExpression(ApiPatterns.Actor)] string GrantedBy,
    DateTimeOffset? RevokedAt,
    [property: RegularExpression(ApiPatterns.Actor)] string? RevokedBy,
    [property: MaxLength(TextLimits.Reason)] string? Reason,
    CheckerStandingView? Standing = null);
