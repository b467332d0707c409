using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A lease whose billing is open, with what settlement needs of the lease.</summary>
/// <param name="EndReason">How it ended, as the API spells it; null while it runs.</param>
/// <param name="Operator">The address of the operator of its host; null when it has no host or the host is unknown.</param>
internal sealed record OpenLeaseBilling(
    LeaseBillingRecord Billing, string? EndReason, DateTimeOffset? EndedAt, string? HostId, decimal PriceUsdPerGpuHour, string? Operator);
