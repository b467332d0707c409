namespace Gpunet.Core.Scheduling;

/// <summary>The placement policies by name; the product's default first.</summary>
public static class PlacementPolicies
{
    /// <summary>The product's default policy.</summary>
    public const string Default = FgdPolicy.PolicyName;

    /// <summary>Every policy's name, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [FgdPolicy.PolicyName, BestFitPolicy.PolicyName, RandomFitPolicy.PolicyName];

    /// <summary>A fresh policy by name; <paramref name="seed"/> feeds random-fit, <paramref name="target"/> FGD
    /// (null: FGD learns the mix online).</summary>
    public static IPlacementPolicy Create(string name, ulong seed = 0, WorkloadDistribution? target = null) => name switch
    {
        FgdPolicy.PolicyName => new FgdPolicy(target),
        BestFitPolicy.PolicyName => new BestFitPolicy(),
        RandomFitPolicy.PolicyName => new RandomFitPolicy(seed),
        _ => throw new ArgumentException($"unknown policy '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };
}
