using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>One epoch's SLA credit to a customer for a lease: the month-to-date availability it was reckoned on, the
/// credit due so far, what this epoch paid (from the host's rewards, then its stake) and any part (unpaid) the host could not
/// cover, with the breach in words.</summary>
public sealed record SlaCreditView(
    [property: RegularExpression(ApiPatterns.LeaseId)] string LeaseId,
    long Epoch,
    DateTimeOffset At,
    [property: RegularExpression(ApiPatterns.HostId)] string? HostId,
    [property: MaxLength(TextLimits.Label)] string Tier,
    double Availability,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Credited,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Unpaid,
    [property: MaxLength(TextLimits.Reason)] string Reason);
