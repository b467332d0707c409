using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>The majority result of one check, and who was right.</summary>
/// <param name="Outcome">Passed, failed or undecided.</param>
/// <param name="Needed">N+1: the agreeing reports a decision needs.</param>
/// <param name="Agreeing">The checkers in the majority, by address; empty when undecided.</param>
/// <param name="Minority">The checkers in the minority, by address; <see cref="DissentRules"/> says which of them are
/// marked incorrect. Empty when undecided.</param>
/// <param name="Missing">Assigned checkers with no counted report, by address: neither right nor wrong.</param>
/// <param name="Rejected">Reports that do not count, by address then reason.</param>
/// <param name="Measured">For each measured value, the median over the majority's reports (the lower middle one of an even
/// count, so that it is a value some checker signed); empty when undecided.</param>
public sealed record MajorityResult(
    MajorityOutcome Outcome,
    int Needed,
    IReadOnlyList<Address> Agreeing,
    IReadOnlyList<Address> Minority,
    IReadOnlyList<Address> Missing,
    IReadOnlyList<MajorityRejection> Rejected,
    IReadOnlyDictionary<string, double> Measured);
