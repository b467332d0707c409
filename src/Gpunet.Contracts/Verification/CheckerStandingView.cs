using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// A checker's standing as this coordinator counts it: incorrect marks within the week (2 cost a month without rewards or
// assignments: suspended), and its fails of hosts every other checker passed, by kind of check, within the week. Held
// back: such fails span hosts of many operators and a large share of its reports, so its fails no longer send a
// capacity check to a second panel and each new one is marked incorrect.
public sealed record CheckerStandingView(
    int IncorrectThisWeek,
    bool Suspended,
    bool HeldBack,
    [property: MaxLength(ShortLists.CheckKinds)] IReadOnlyList<CheckerDissentView> FailDissents);

// One kind of check: its reports on passed checks, how many were fails, of how many operators' hosts, and whether they
// hold it back.
public sealed record CheckerDissentView([property: AllowedValues("liveness", "service", "capacity")] string Kind, long Reports, long FailDissents, int Operators, double Share, bool HeldBack);
