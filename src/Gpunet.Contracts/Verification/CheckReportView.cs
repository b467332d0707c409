using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// One checker's signed report on a check. `signedText` is the exact text the signature covers: anyone can recover the
// signer from it (EIP-191) and compare it with `checker`. `correct`: whether it agreed with the decision (null while
// the check is pending or when it was undecided).
public sealed record CheckReportView(
    [property: RegularExpression(ApiPatterns.Address)] string Checker,
    bool Passed,
    [property: MaxLength(TextLimits.Reason)] string Reason,
    long RoundTripUs,
    double ThroughputMbps,
    [property: MaxLength(ShortLists.GpusPerHost)] IReadOnlyList<GpuVerdictView> Gpus,
    DateTimeOffset SignedAt,
    DateTimeOffset ReceivedAt,
    [property: RegularExpression(ApiPatterns.Signature)] string Signature,
    [property: MaxLength(TextLimits.SignedStatement)] string SignedText,
    bool? Correct);
