namespace Gpunet.Contracts.Verification;

// A checker's licence: a wallet the network operator admitted as a checker (state "active"), or no longer ("revoked").
public sealed record CheckerLicenceView(
    string Address,
    string State,
    DateTimeOffset GrantedAt,
    string GrantedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? Reason);
