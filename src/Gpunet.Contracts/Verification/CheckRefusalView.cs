using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// Something on a check refused and counted against a checker: a report the coordinator refused (forged, replayed,
// late, the wrong size), or a probe the host refused after the checker's signature held (a second capacity start,
// pings past the limit, other work than announced), as the host reported it.
public sealed record CheckRefusalView([property: RegularExpression(ApiPatterns.Address)] string Checker, [property: MaxLength(TextLimits.Reason)] string Reason, DateTimeOffset At);
