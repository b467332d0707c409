namespace Gpunet.Core.Sanctions;

/// <summary>Name-similarity scores (Jaro-Winkler, 0–1) at which a screen reports a hit or asks for review.</summary>
/// <param name="HitScore">At or above this, with a corroborating date of birth or country, the subject is a hit.</param>
/// <param name="ReviewScore">At or above this the subject needs a person to look; below it the name is clear.</param>
public sealed record ScreeningThresholds(double HitScore = 0.95, double ReviewScore = 0.85)
{
    /// <summary>The defaults: hit at 0.95, review at 0.85.</summary>
    public static ScreeningThresholds Default { get; } = new();

    internal void Validate()
    {
        if (!(ReviewScore > 0 && ReviewScore <= HitScore && HitScore <= 1))
            throw new ArgumentException($"thresholds need 0 < review ({ReviewScore}) <= hit ({HitScore}) <= 1");
    }
}
