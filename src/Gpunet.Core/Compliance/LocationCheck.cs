namespace Gpunet.Core.Compliance;

/// <summary>How a host's IP location compares with the country and region it declared.</summary>
public enum LocationCheck
{
    /// <summary>The IP location agrees with the declaration.</summary>
    Matches,

    /// <summary>The IP location disagrees with the declaration.</summary>
    Mismatch,

    /// <summary>The address resolves to no country.</summary>
    Unresolved,

    /// <summary>A mismatch or unresolved address that a compliance officer has cleared.</summary>
    Cleared,
}
