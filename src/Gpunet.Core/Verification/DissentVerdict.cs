using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>Whether one report against a decided check's majority (or a honeypot's known truth) earns its checker an
/// incorrect mark, and why.</summary>
/// <param name="Checker">The dissenting checker.</param>
/// <param name="Marked">True: marked incorrect (it counts towards <see cref="MajorityPenaltyPolicy"/>). False: the dissent
/// could be honest; the report is neither right nor wrong, like a missing one (not paid, not marked).</param>
/// <param name="Reason">One sentence for the check's consequence.</param>
public sealed record DissentVerdict(Address Checker, bool Marked, string Reason);
