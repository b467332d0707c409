using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>One epoch's fees and rewards of one operator, vesting linearly from <paramref name="Start"/> (MISSION.md: over 45 days).</summary>
/// <param name="Epoch">The epoch that earned it.</param>
/// <param name="Amount">What vests; slashing may reduce it, never below <paramref name="Released"/>.</param>
/// <param name="Released">What has already moved from vesting to available.</param>
/// <param name="Start">When vesting starts: the end of the epoch that earned it.</param>
public sealed record VestingTranche(Address Owner, long Epoch, TokenAmount Amount, TokenAmount Released, DateTimeOffset Start)
{
    /// <summary>floor(Amount × clamp((now − Start) / period, 0, 1)), never below <see cref="Released"/>.</summary>
    /// <remarks>Exact integer maths on ticks: 9 days into a 45-day period, 20 % has vested. A zero period vests at once.</remarks>
    public TokenAmount VestedAt(DateTimeOffset now, TimeSpan period)
    {
        var elapsed = (now - Start).Ticks;
        long vested;
        if (elapsed <= 0)
            vested = 0;
        else if (elapsed >= period.Ticks)
            vested = Amount.BaseUnits;
        else
            vested = (long)((Int128)Amount.BaseUnits * elapsed / period.Ticks); // ≤ 4.2e18 × 9.2e18 fits in Int128
        return TokenAmount.FromBaseUnits(Math.Max(vested, Released.BaseUnits));
    }

    /// <summary>What can move to available now: max(0, vested − <see cref="Released"/>).</summary>
    public TokenAmount ReleasableAt(DateTimeOffset now, TimeSpan period) => VestedAt(now, period) - Released;

    /// <summary>The tranche as it stands at <paramref name="at"/> when every settlement up to then released what had
    /// vested by its end: <see cref="Released"/> = <see cref="VestedAt"/>(<paramref name="at"/>).</summary>
    /// <remarks>So a store keeps a tranche as last written (new, or slashed) and settlement computes what it has released
    /// from time, instead of rewriting every tranche every epoch. Exact while <see cref="Amount"/> is unchanged since
    /// that write: a slash changes it, and its settlement writes the tranche again.</remarks>
    public VestingTranche AsOf(DateTimeOffset at, TimeSpan period)
    {
        var released = VestedAt(at, period);
        return released == Released ? this : this with { Released = released };
    }

    /// <summary>What is still locked: <see cref="Amount"/> − <see cref="Released"/>, the most a slash can take from it.</summary>
    public TokenAmount Unreleased => Amount - Released;
}
