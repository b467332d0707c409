namespace Gpunet.Core.Sla;

/// <summary>A service contract an order can ask for: the availability it promises over a calendar month, how fast a lost
/// host is replaced, what a session's round trip may be, when a GPU counts as degraded, what a host needs to qualify, and
/// the credits when the promise is missed.</summary>
/// <param name="Name">Its name in orders and reports (<c>standard</c>, <c>business</c>, <c>enterprise</c>), lower case.</param>
/// <param name="Availability">The promised monthly availability, a fraction (0.999 for 99.9 %).</param>
/// <param name="MaxReplacement">The longest a restartable lease may wait for a new host after its host is lost; a longer
/// wait breaks the replacement promise.</param>
/// <param name="SessionLatencyMs">The largest round trip, in milliseconds, the checkers may measure to a host serving a
/// session or service lease; above it the lease is degraded.</param>
/// <param name="DegradedShare">A capacity check that measures less than this share of the claimed model's speed
/// marks the lease degraded (0.9: below 90 %).</param>
/// <param name="CreditSteps">The credit schedule, highest threshold first or in any order: the credit is the percent of
/// the lowest-threshold step whose threshold the availability is below.</param>
/// <param name="ReplacementCreditPercent">The credit, in percent of the period's fees, when a replacement took longer
/// than <paramref name="MaxReplacement"/>; the larger of it and the availability credit is paid.</param>
/// <param name="Qualification">What a host's record must show for the matcher to place this tier's leases on it.</param>
public sealed record SlaTier(
    string Name,
    decimal Availability,
    TimeSpan MaxReplacement,
    double SessionLatencyMs,
    double DegradedShare,
    IReadOnlyList<CreditStep> CreditSteps,
    decimal ReplacementCreditPercent,
    HostQualification Qualification);
