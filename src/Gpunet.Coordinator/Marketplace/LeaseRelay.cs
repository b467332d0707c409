using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Tells the coordinator that holds a host's agent stream that a lease on that host was placed or ended here:
/// through the store, as a host change (<see cref="HostChangeRecord"/>) that its <see cref="Hosts.HostChangeFeed"/> reads
/// (at once on PostgreSQL); its market then starts or stops the workload (<see cref="ForeignChangeScan"/>).</summary>
/// <remarks>Relayed through the store rather than by agents keeping a stream to every coordinator: the store already
/// holds the lease's truth and orders every change to it, a coordinator needs no address of the others, and an agent's
/// link stays one stream (one registration, one heartbeat, one usage report per period).</remarks>
internal sealed class LeaseRelay(HostStore hosts, TimeProvider time)
{
    /// <summary>Notes the change on <paramref name="slot"/>'s host when its agent is not connected here (nothing to do
    /// when it is: this coordinator tells the agent itself). Not cancelled: the change is already stored.</summary>
    public async Task TellHolderAsync(HostSlot slot)
    {
        if (slot.Entry.Session is null)
            await hosts.NoteLeaseChangeAsync(slot.Entry.Id, StoreTime.Now(time), CancellationToken.None);
    }
}
