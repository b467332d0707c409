namespace Gpunet.Simulation;

/// <summary>A broken invariant, found during a step.</summary>
public sealed class SimulationInvariantException : Exception
{
    public SimulationInvariantException(string invariant, string detail)
        : base($"{invariant}: {detail}")
    {
        Invariant = invariant;
        Detail = detail;
    }

    public SimulationInvariantException()
        : this("unknown", "")
    {
    }

    public SimulationInvariantException(string message)
        : this("unknown", message)
    {
    }

    public SimulationInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
        Invariant = "unknown";
        Detail = message;
    }

    /// <summary>The invariant's name, e.g. <c>ledger-balanced</c>.</summary>
    public string Invariant { get; } = "unknown";

    /// <summary>What was seen.</summary>
    public string Detail { get; } = "";
}
