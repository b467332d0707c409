using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Compliance;

namespace Gpunet.Contracts.Compliance;

// Where a participant's KYC/KYB verification stands (<c>GET /api/v1/kyc</c>).
public sealed record KycStatusView([property: RegularExpression(ApiPatterns.Address)] string Address, KycState State, [property: RegularExpression(ApiPatterns.KycId)] string? SubmissionId,
    [property: RegularExpression(ApiPatterns.Country)] string? Country, [property: RegularExpression(ApiPatterns.Country)] string? ParentCountry, DateTimeOffset? ExpiresAt, [property: MaxLength(TextLimits.Reason)] string? Reason, bool Final);
