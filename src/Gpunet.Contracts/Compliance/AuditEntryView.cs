using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Gpunet.Contracts.Compliance;

// One entry of the compliance audit log, with its place in the hash chain.
public sealed record AuditEntryView(long Sequence, DateTimeOffset At, [property: MaxLength(TextLimits.Reason)] string Subject, [property: MaxLength(TextLimits.Label)] string Rule, JsonElement Inputs, [property: MaxLength(TextLimits.Version)] string? ListVersion,
    [property: MaxLength(TextLimits.Version)] string? PolicyVersion, [property: MaxLength(TextLimits.Label)] string Outcome, [property: MaxLength(TextLimits.Name)] string DecidedBy, [property: RegularExpression(ApiPatterns.Sha256Hex)] string Hash);
