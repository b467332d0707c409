namespace Gpunet.Core.Scheduling;

/// <summary>The placement policies by name; the product's default first.</summary>
public static class PlacementPolicies
{
    /// <summary>The product's default policy.</summary>
    public const string Default = MultiResourceFgdPolicy.PolicyName;

    /// <summary>Every policy's name, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [MultiResourceFgdPolicy.PolicyName, FgdPolicy.PolicyName, BestFitPolicy.PolicyName, RandomFitPolicy.PolicyName];

    /// <summary>A fresh policy by name; <paramref name="seed"/> feeds random-fit, <paramref name="target"/> the FGD
    /// policies (null: they learn the mix online); with <paramref name="learn"/> a given target is a prior they go on
    /// learning from.</summary>
    public static IPlacementPolicy Create(string name, ulong seed = 0, WorkloadDistribution? target = null, bool learn = false) => name switch
    {
        MultiResourceFgdPolicy.PolicyName => new MultiResourceFgdPolicy(target, learn || target is null),
        FgdPolicy.PolicyName => new FgdPolicy(target, learn || target is null),
        BestFitPolicy.PolicyName => new BestFitPolicy(),
        RandomFitPolicy.PolicyName => new RandomFitPolicy(seed),
        _ => throw new ArgumentException($"unknown policy '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };
}
