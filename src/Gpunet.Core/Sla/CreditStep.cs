namespace Gpunet.Core.Sla;

/// <summary>One step of a credit schedule: availability below <paramref name="Below"/> (a fraction, e.g. 0.99) earns
/// <paramref name="Percent"/> percent of the period's fees back (e.g. 10).</summary>
public readonly record struct CreditStep(decimal Below, decimal Percent);
