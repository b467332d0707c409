using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Compliance;

namespace Gpunet.Contracts.Compliance;

// Every rule that stops a host, and its location check.
public sealed record HostComplianceView([property: RegularExpression(ApiPatterns.HostId)] string HostId, bool Allowed, string PolicyVersion, KycState OperatorKyc, IReadOnlyList<ReasonView> Reasons, LocationView? Location);
