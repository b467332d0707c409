using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Gpunet.Contracts.Compliance;

// One entry of the compliance audit log, with its place in the hash chain.
public sealed record AuditEntryView(long Sequence, DateTimeOffset At, string Subject, string Rule, JsonElement Inputs, string? ListVersion,
    string? PolicyVersion, string Outcome, string DecidedBy, [property: RegularExpression(ApiPatterns.Sha256Hex)] string Hash);
