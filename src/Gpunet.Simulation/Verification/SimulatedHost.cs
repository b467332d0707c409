using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>One host of the run: the truth about it (where it is, what it really has, how it cheats), what it claims, and
/// what the network has found out.</summary>
internal sealed class SimulatedHost
{
    public required int Index { get; init; }

    public required string Id { get; init; }

    public required Address Operator { get; init; }

    /// <summary>Where it really is.</summary>
    public required LocationPoint TrueAt { get; init; }

    /// <summary>Where it says it is; 1,000 km or more from <see cref="TrueAt"/> for a spoofer.</summary>
    public required LocationPoint DeclaredAt { get; init; }

    /// <summary>Km between the declared and the true place (0 for an honest declaration).</summary>
    public double SpoofKm => TrueAt.DistanceKm(DeclaredAt);

    public bool Spoofer => SpoofKm > 0;

    /// <summary>The model it claims for every GPU.</summary>
    public required string ClaimedModel { get; init; }

    /// <summary>Each claimed GPU's compute time for the work asked, as a share of the claimed model's expected time
    /// (identical cards differ by a few per cent).</summary>
    public required double[] CardFactors { get; init; }

    public required CheatKind Cheat { get; init; }

    /// <summary>Its compute speed as a share of what it claims (a weaker card, or fewer GPUs than claimed); 1 otherwise.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>The real model of a weaker-card cheater.</summary>
    public string? ActualModel { get; init; }

    /// <summary>GPUs it really has (fewer than claimed for <see cref="CheatKind.FewerGpus"/>).</summary>
    public int ActualGpus { get; init; }

    /// <summary>A slow cheater that skips rows to answer in time (else it computes everything and answers late).</summary>
    public bool SkipsRows { get; init; }

    /// <summary>Share of rows a <see cref="CheatKind.WrongAnswers"/> host gets wrong.</summary>
    public double WrongShare { get; init; }

    /// <summary>Ms its access network adds to every round trip.</summary>
    public double LastMilesMs { get; init; } = Core.Marketplace.LatencyModel.LastMilesMs;

    public required Outages Outages { get; init; }

    public required int RegisteredMinute { get; init; }

    /// <summary>When the clone of a <see cref="CheatKind.ClonedFingerprint"/> host comes up elsewhere.</summary>
    public int CloneMinute { get; init; } = int.MaxValue;

    /// <summary>Refused at registration (a double-listed GPU): never checked.</summary>
    public bool Refused { get; set; }

    /// <summary>Paused after failing a capacity check, until it passes one again.</summary>
    public bool Paused { get; set; }

    public int PausedSince { get; set; }

    /// <summary>Every paused stretch, [from, until) in minutes.</summary>
    public List<(int From, int Until)> PausedSpells { get; } = [];

    /// <summary>When a cheat was first detected (a capacity check failed by majority, or an identity rule).</summary>
    public int? DetectedMinute { get; set; }

    /// <summary>Whether its first capacity check failed by majority; null before it had one.</summary>
    public bool? CaughtAtFirstCapacityCheck { get; set; }

    public int NextCapacityMinute { get; set; }

    public int NextRandomCapacityMinute { get; set; }

    public long CapacityPassed { get; set; }

    public long CapacityFailed { get; set; }

    public long LivenessPassed { get; set; }

    public long LivenessFailed { get; set; }

    /// <summary>Smallest round trip each checker in a majority reported, by checker index.</summary>
    public SortedDictionary<int, double> MinRoundTrips { get; } = [];

    public bool RoundTripsChanged { get; set; }

    public int? LocationEvaluatedMinute { get; set; }

    /// <summary>When its declared place was first found inconsistent with the round trips.</summary>
    public int? LocationFlaggedMinute { get; set; }

    public bool? LocationFlaggedAtFirstCheck { get; set; }

    public bool Honest => Cheat == CheatKind.None && !Spoofer && !Planted;

    /// <summary>Planted by the network's operator (<see cref="VerificationOptions.PlantedHosts"/>): checked like any host,
    /// known to be bad.</summary>
    public bool Planted { get; set; }

    /// <summary>One of the coordinator's decoy honeypots, which a wary checker tells from hosts.</summary>
    public bool Decoy => Index < 0;
}
