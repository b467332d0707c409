namespace Gpunet.Coordinator.Storage;

/// <summary>The network's leader lease: one row (<see cref="Name"/> <c>leader</c>) in the shared store.</summary>
/// <remarks>Times are the holder's own clock and are shown to people only; who may take the lease is decided by how long
/// <see cref="Renewals"/> stands still on the reader's clock (<c>LeaderLeaseWatch</c>), and a stale holder's writes by
/// <see cref="Token"/> (the fence).</remarks>
internal sealed class LeadershipRecord
{
    /// <summary>The lease's name: <c>leader</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The holding coordinator's id; empty once its holder gave it up.</summary>
    public required string Holder { get; set; }

    /// <summary>The fencing token: one more each time the lease changes hands.</summary>
    public long Token { get; set; }

    /// <summary>One more at every renewal and take-over.</summary>
    public long Renewals { get; set; }

    /// <summary>When the holder last renewed, by its clock (UTC).</summary>
    public DateTimeOffset RenewedAt { get; set; }

    /// <summary>Until when the holder counts itself the leader, by its clock (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
