using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// One check of one host: who was assigned, every signed report, the majority and what followed.
// kind: liveness, service or capacity. outcome: pending, passed, failed, undecided or escalated. honeypot: a planted known-bad
// host (the right answer is "fail"). Until a check is decided (pending, or escalated while its second panel is pending)
// reports is empty and honeypot false for everyone but the network's operator, so that no checker can copy its panel's
// verdicts or tell a planted host from a real one by asking; a check of a registered host the operator planted says
// honeypot true only once that host is retired. task: a capacity check's parameters (sizes, opened rows, claimed GPUs), as JSON.
// refusals: what was refused on this check and counted against a checker, oldest first, at most 50; refusalsUnlisted
// counts the rest (null when all are listed). outcome "escalated": a capacity
// check whose first panel split; escalatedTo names the second panel's check, where the reports of both decide it, and
// that check's escalatedFrom names this one (null on every other check).
public sealed record CheckView(
    [property: RegularExpression(ApiPatterns.CheckId)] string Id,
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    [property: RegularExpression(ApiPatterns.Address)] string HostOperator,
    [property: MaxLength(TextLimits.Label)] string Kind,
    DateTimeOffset IssuedAt,
    DateTimeOffset Deadline,
    [property: ItemMaxLength(42), MaxLength(ShortLists.CheckersPerCheck)] IReadOnlyList<string> Checkers,
    bool Honeypot,
    [property: MaxLength(TextLimits.Label)] string Outcome,
    DateTimeOffset? DecidedAt,
    [property: MaxLength(TextLimits.Reason)] string Consequence,
    [property: MaxLength(TextLimits.Task)] string? Task,
    [property: MaxLength(ShortLists.CheckersPerCheck)] IReadOnlyList<CheckReportView> Reports,
    [property: MaxLength(ShortLists.RefusalsPerCheck)] IReadOnlyList<CheckRefusalView> Refusals,
    [property: RegularExpression(ApiPatterns.CheckId)] string? EscalatedFrom = null,
    [property: RegularExpression(ApiPatterns.CheckId)] string? EscalatedTo = null,
    int? RefusalsUnlisted = null);
