using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Compliance;

namespace Gpunet.Contracts.Compliance;

// Every rule that stops a host, and its location check. `roundTripEvidence`: when checkers' round trips contradict the
// declared place, why (the location then counts as unconfirmed); null otherwise.
public sealed record HostComplianceView([property: RegularExpression(ApiPatterns.HostId)] string HostId, bool Allowed, [property: MaxLength(TextLimits.Version)] string PolicyVersion, KycState OperatorKyc, [property: MaxLength(ShortLists.ComplianceReasons)] IReadOnlyList<ReasonView> Reasons, LocationView? Location,
    [property: MaxLength(TextLimits.Reason)] string? RoundTripEvidence = null);
