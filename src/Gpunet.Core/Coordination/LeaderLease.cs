namespace Gpunet.Core.Coordination;

/// <summary>The network's leader lease as one coordinator saw it in the store: who holds it, its fencing token, and how
/// many times it was taken or renewed.</summary>
/// <param name="Holder">The holding coordinator's id; empty when the last holder gave it up.</param>
/// <param name="Token">The fencing token: it grows by one each time the lease changes hands, never otherwise.</param>
/// <param name="Renewals">Grows at every renewal and every take-over: a lease whose count stands still has no live holder.</param>
public readonly record struct LeaderLease(string Holder, long Token, long Renewals)
{
    /// <summary>Whether nobody holds it (the last holder stopped and gave it up).</summary>
    public bool Released => Holder.Length == 0;
}
