namespace Gpunet.Coordinator.Leadership;

/// <summary>What a duty carries into its commit: the lease holder it ran as and the fencing token it held. The commit
/// checks both in its own transaction (<see cref="ILeadership.FenceAsync"/>), so a coordinator that lost the lease while
/// it worked (a pause, a cut from the store) writes nothing.</summary>
/// <param name="Holder">This coordinator's id.</param>
/// <param name="Token">The fencing token it holds.</param>
internal sealed record LeaderFence(string Holder, long Token);
