namespace Gpunet.Core.Verification;

/// <summary>Which bound of a checker's annulus a declared place breaks.</summary>
public enum LocationBreachKind
{
    /// <summary>Farther from the checker than light in fibre goes in the round trip: physically impossible.</summary>
    BeyondReach,

    /// <summary>Farther than an honest host with that round trip would be (within physics, outside the delay model).</summary>
    FartherThanPlausible,

    /// <summary>Nearer than an honest host with that round trip would be: the host answered too slowly for the place.</summary>
    NearerThanPlausible,
}
