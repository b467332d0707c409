namespace Gpunet.Core.Verification;

/// <summary>How a lease's end counts in its host's track record.</summary>
public enum LeaseEndCount
{
    /// <summary>Neither the host's credit nor its fault (never placed, a policy change, an end nobody can attribute).</summary>
    NotCounted,

    /// <summary>It ran on the host to an end the host did not cause.</summary>
    Completed,

    /// <summary>The host cut it short.</summary>
    Interrupted,
}
