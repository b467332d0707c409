namespace Gpunet.Simulation;

/// <summary>The outcome of one chaos run.</summary>
/// <param name="Steps">Steps taken (fewer than asked when an invariant broke).</param>
/// <param name="SimulatedMs">Simulated time the steps covered.</param>
/// <param name="Violation">The first broken invariant; null when every check held.</param>
public sealed record ChaosReport(ChaosOptions Options, long Steps, long SimulatedMs, ChaosCounters Counters, ChaosViolation? Violation)
{
    public bool Passed => Violation is null;
}

/// <summary>A broken invariant: which, at which step, what was seen. The same seed and steps replay it.</summary>
public sealed record ChaosViolation(ulong Seed, long Step, long SimulatedMs, string Invariant, string Detail);
