using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Sanctions;

namespace Gpunet.Contracts.Compliance;

// A KYC/KYB submission as officers and its submitter see it.
public sealed record KycSubmissionView(
    [property: RegularExpression(ApiPatterns.KycId)] string Id, [property: RegularExpression(ApiPatterns.Address)] string Address, [property: AllowedValues("person", "company")] string Kind, [property: MaxLength(TextLimits.Name)] string LegalName,
    [property: RegularExpression(ApiPatterns.Country)] string Country, [property: RegularExpression(ApiPatterns.Country)] string? ParentCountry, KycState State,
    DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, DateTimeOffset? ExpiresAt, bool Final, [property: MaxLength(TextLimits.Reason)] string? Reason, [property: MaxLength(TextLimits.Name)] string? DecidedBy,
    [property: MaxLength(TextLimits.Label)] string Provider, [property: EnumNames(typeof(ScreeningOutcome))] string Screening, [property: MaxLength(TextLimits.Reason)] string ScreeningSummary, [property: MaxLength(TextLimits.Version)] string ListVersion,
    [property: Description("The submitted document; null in lists (read one submission to see it)")] JsonElement? Document);
