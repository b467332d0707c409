namespace Gpunet.Contracts.Sla;

/// <summary>One step of a credit schedule: availability below <paramref name="BelowPercent"/> earns
/// <paramref name="CreditPercent"/> of the period's fees back.</summary>
public sealed record SlaCreditStepView(decimal BelowPercent, decimal CreditPercent);
