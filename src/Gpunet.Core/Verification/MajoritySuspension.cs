namespace Gpunet.Core.Verification;

/// <summary>A time a checker earns no rewards: from <paramref name="From"/> (inclusive) to <paramref name="Until"/>
/// (exclusive), both UTC.</summary>
public readonly record struct MajoritySuspension(DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>Whether <paramref name="at"/> falls in it.</summary>
    public bool Covers(DateTimeOffset at) => at >= From && at < Until;
}
