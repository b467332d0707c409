namespace Gpunet.Simulation.Verification;

/// <summary>The outcome of one verification run: how many cheats were caught and how fast, how often honest hosts and
/// checkers were wrongly blamed, and how to replay it.</summary>
/// <param name="DetectionRate">Share of capacity and identity cheaters detected by the end of the run.</param>
/// <param name="MeanHoursToDetection">Mean hours from a detected cheater's registration to its detection.</param>
/// <param name="WeakerCardFirstCheckDetectionRate">Share of weaker-card cheaters caught at their first capacity check,
/// those within the card band included.</param>
/// <param name="WeakerCardBeyondBandFirstCheckDetectionRate">The target figure: the same share among weaker cards
/// time can tell from the claimed model (<see cref="WeakerCardsBeyondCardBand"/>).</param>
/// <param name="WeakerCardsBeyondCardBand">Weaker cards with a GPU slower, even on its fastest run, than the card band lets
/// an honest card be.</param>
/// <param name="WeakerCardsWithinCardBand">The rest: units no slower than the card band lets an honest card be (or barely,
/// within a run's spread), caught only when they skip work (the opened rows) or run slow.</param>
/// <param name="FalseAccusationRate">Share of decided checks of honest hosts that failed while the host was up.</param>
/// <param name="LocationSpoofersCaught">Spoofers whose declared place was found inconsistent by the end.</param>
/// <param name="LazyCheckersCaught">Lazy checkers whose rewards were suspended by the end.</param>
/// <param name="FailingCheckersCaught">Failing checkers (a fail on every assignment) whose rewards were suspended by the
/// end (<c>FailDissentPolicy</c>: fail dissents on hosts of many operators).</param>
/// <param name="WaryLazyCheckersCaught">Wary lazy checkers (they fail the decoys they recognise, pass every other host
/// unprobed) whose rewards were suspended by the end: only planted hosts catch them.</param>
/// <param name="PlantedHosts">Hosts the operator planted: checked like any host, known to be bad.</param>
/// <param name="HonestCheckersHeldBack">Honest checkers that <c>FailDissentPolicy</c> held back at any time.</param>
public sealed record VerificationReport(
    VerificationOptions Options,
    double SimulatedHours,
    VerificationChecksRun ChecksRun,
    double DetectionRate,
    double? MeanHoursToDetection,
    int Cheaters,
    int CheatersDetected,
    IReadOnlyList<CheatDetection> ByCheat,
    double? WeakerCardFirstCheckDetectionRate,
    double? WeakerCardBeyondBandFirstCheckDetectionRate,
    WeakerCardGroup WeakerCardsBeyondCardBand,
    WeakerCardGroup WeakerCardsWithinCardBand,
    IReadOnlyList<SpeedBand> WeakerCardsBySpeed,
    double FalseAccusationRate,
    long HonestChecks,
    long HonestChecksFailed,
    long HonestCapacityChecksFailed,
    int HonestHostsSlashed,
    int LocationSpoofers,
    int LocationSpoofersCaught,
    double? LocationSpoofersCaughtRate,
    double? SpoofersFlaggedAtFirstCheckRate,
    IReadOnlyList<DistanceBand> SpoofersByDistance,
    int HonestHostsLocationFlagged,
    int LazyCheckers,
    int LazyCheckersCaught,
    double? MeanHoursToCatchLazyChecker,
    int LazyCheckersCaughtWithinADay,
    int FailingCheckers,
    int FailingCheckersCaught,
    double? MeanHoursToCatchFailingChecker,
    int WaryLazyCheckers,
    int WaryLazyCheckersCaught,
    double? MeanHoursToCatchWaryLazyChecker,
    int WaryLazyCheckersCaughtWithinADay,
    int PlantedHosts,
    int HonestCheckersHeldBack,
    int HonestCheckersSuspended,
    long HonestCheckerIncorrectMarks,
    int Slashes,
    decimal SlashedTokens,
    ReputationSummary Reputation,
    string Replay);

/// <summary>Checks the run made.</summary>
/// <param name="Undecided">Checks left undecided after three assignments (too few reports either way).</param>
/// <param name="Reassigned">Assignments made again because a check was undecided.</param>
/// <param name="DissentsNotMarked">Reports against a decided majority that could be honest disagreement, so not marked
/// incorrect (<c>DissentRules</c>).</param>
/// <param name="Escalated">Capacity checks whose first panel split and went to a second panel (<c>PanelRules</c>), by
/// how the reports of both decided them.</param>
/// <param name="EscalationsPerDay">Escalated checks per simulated day.</param>
/// <param name="SplitsWithoutSecondPanel">Split first panels with too few other checkers for a second: decided by the
/// first panel.</param>
/// <param name="SplitsHeldBack">Split first panels whose only fails came from checkers held back
/// (<c>FailDissentPolicy</c>): decided by the first panel, no second one.</param>
/// <param name="BackedTimingFails">Capacity fails against a passing majority that the passers' own timings back
/// (<c>TimingFailBacking</c>: a smaller allowance round trip than theirs, an answer they all measured later than its
/// limit): not marked, not counted as fail dissents; among <paramref name="DissentsNotMarked"/>.</param>
public sealed record VerificationChecksRun(long Liveness, long Capacity, long Honeypot, long Reports, long Reassigned, long Undecided,
    long DissentsNotMarked, EscalatedChecks Escalated, double EscalationsPerDay, long SplitsWithoutSecondPanel, long SplitsHeldBack,
    long BackedTimingFails, long Planted = 0);

/// <summary>Escalated capacity checks by how both panels decided them.</summary>
public sealed record EscalatedChecks(long Total, long Passed, long Failed, long Undecided);

/// <summary>Detection of one kind of cheat.</summary>
public sealed record CheatDetection(CheatKind Cheat, int Hosts, int Detected, double? MeanHoursToDetection, int CaughtAtFirstCapacityCheck);

/// <summary>Weaker-card cheaters whose card runs at <paramref name="From"/> to <paramref name="To"/> of the claimed
/// model's speed: how many, and how many were caught on their first capacity check.</summary>
public sealed record SpeedBand(double From, double To, int Hosts, int CaughtAtFirstCheck);

/// <summary>Weaker-card cheaters of one kind (beyond or within the card band): how many had a first capacity check, how
/// many it caught, and the share.</summary>
public sealed record WeakerCardGroup(int Hosts, int CaughtAtFirstCheck, double? FirstCheckDetectionRate);

/// <summary>Spoofers declaring a place <paramref name="FromKm"/> to <paramref name="ToKm"/> from the truth: how many,
/// flagged after their first check, and by the end.</summary>
public sealed record DistanceBand(double FromKm, double ToKm, int Spoofers, int FlaggedAtFirstCheck, int Flagged);

/// <summary>Hosts' reputations (<c>HostReputation</c>) at the end of the run.</summary>
public sealed record ReputationSummary(double? HonestMean, double? HonestMin, double? DetectedCheatersMean, double? UndetectedCheatersMean, double? SpoofersMean);
