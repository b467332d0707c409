namespace Gpunet.Coordinator.Marketplace;

/// <summary>What the market keeps in memory per lease and per order; every count falls back once leases end.</summary>
/// <param name="Held">Placed leases held here.</param>
/// <param name="Orders">Orders kept in memory.</param>
/// <param name="Queued">Queue entries.</param>
/// <param name="Receiving">Leases whose log lines are taken here.</param>
/// <param name="Writing">Leases with log lines being stored.</param>
internal sealed record MarketFootprint(int Held, int Orders, int Queued, int Receiving, int Writing);
