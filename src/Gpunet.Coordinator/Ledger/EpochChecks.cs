using Gpunet.Core.Verification;

namespace Gpunet.Coordinator.Ledger;

/// <summary>What the checks of one epoch say, as settlement reads them: whose uptime was verified and which checkers
/// earn (the rules are <see cref="VerifiedTime"/> and <see cref="MajorityPenaltyPolicy"/>, applied by
/// <see cref="EpochService"/>).</summary>
/// <param name="CheckersLicensed">Whether any checker licence was active at some moment of the epoch. Without one the
/// network has nobody to verify hosts, and uptime is paid as it is.</param>
/// <param name="Capacity">Per host, its capacity checks decided before the epoch's end that passed or failed: the latest
/// before the epoch's start and every one in it.</param>
/// <param name="Liveness">Per host with a liveness check failed in the epoch, its liveness checks decided in the epoch.</param>
/// <param name="CorrectReports">Per checker, its reports marked correct whose check was decided in the epoch.</param>
/// <param name="IncorrectMarks">Reports marked incorrect, at their check's decision, from far enough back to know every
/// suspension that reaches into the epoch.</param>
/// <param name="CorrectOfMarked">The correct reports counted in <paramref name="CorrectReports"/> of checkers that have
/// any of <paramref name="IncorrectMarks"/>, each at the time it was received, so that those made while the checker was
/// suspended can be taken out.</param>
internal sealed record EpochChecks(
    bool CheckersLicensed,
    Dictionary<string, List<DecidedCheck>> Capacity,
    Dictionary<string, List<DecidedCheck>> Liveness,
    Dictionary<string, long> CorrectReports,
    IReadOnlyList<(string Checker, DateTimeOffset At)> IncorrectMarks,
    IReadOnlyList<(string Checker, DateTimeOffset At)> CorrectOfMarked)
{
    /// <summary>A network without checkers: nothing to verify, nobody to pay.</summary>
    public static EpochChecks None { get; } = new(false, [], [], [], [], []);
}
