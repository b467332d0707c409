namespace Gpunet.Core.Verification;

/// <summary>One checker's fail dissents on one kind of check within <see cref="FailDissentPolicy.Window"/>, and whether
/// they hold it back (<see cref="FailDissentHistory"/>).</summary>
/// <param name="Kind">One of <see cref="CheckKind.All"/>.</param>
/// <param name="Reports">Its reports on checks of the kind that passed, fail dissents included.</param>
/// <param name="FailDissents">Of those, the fails: it failed a host the majority passed.</param>
/// <param name="Operators">The different operators of the hosts it failed so.</param>
/// <param name="HeldBack">The policy holds: its fails of this kind no longer send a check to a second panel
/// (<see cref="PanelRules.Escalates"/>), and each new one is marked incorrect (<see cref="DissentRules.Judge"/>).</param>
public sealed record FailDissentStanding(string Kind, long Reports, long FailDissents, int Operators, bool HeldBack)
{
    /// <summary>Its fail dissents as a share of <see cref="Reports"/>; 0 with no reports.</summary>
    public double Share => Reports == 0 ? 0 : (double)FailDissents / Reports;
}
