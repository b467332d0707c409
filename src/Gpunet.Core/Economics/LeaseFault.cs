using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Economics;

/// <summary>Who caused a lease's end, as settlement needs it: the customer (their workload finished, failed or was
/// cancelled, or their funds ran out), or the host or the network (host lost, start timeout, workload lost, compliance),
/// in which case unused prepaid escrow is refunded.</summary>
public static class LeaseFault
{
    /// <summary>Whether the customer caused an end for <paramref name="reason"/>.</summary>
    public static bool CustomerAtFault(LeaseEndReason reason) => reason is LeaseEndReason.Completed or LeaseEndReason.ExitNonzero
        or LeaseEndReason.Cancelled or LeaseEndReason.TermEnded or LeaseEndReason.LimitExceeded or LeaseEndReason.StartFailed
        or LeaseEndReason.FundsExhausted;

    /// <summary>Whether the customer caused an end spelled <paramref name="reason"/> as the API spells it
    /// (<see cref="LeaseLifecycle.Spell"/>); false for no end or a spelling no reason has.</summary>
    public static bool CustomerAtFault(string? reason)
    {
        if (reason is null)
            return false;
        foreach (var r in Enum.GetValues<LeaseEndReason>())
        {
            if (LeaseLifecycle.Spell(r) == reason)
                return CustomerAtFault(r);
        }

        return false;
    }
}
