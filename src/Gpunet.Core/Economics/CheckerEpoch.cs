using Gpunet.Core.Identity;

namespace Gpunet.Core.Economics;

/// <summary>One checker's epoch: its reports that agreed with the majority (MISSION.md: checkers are paid in proportion to correct reports).</summary>
/// <param name="CorrectReports">Correct reports in the epoch; zero for a checker that lost its eligibility.</param>
public sealed record CheckerEpoch(Address Checker, long CorrectReports);
