namespace Gpunet.Core.Verification;

/// <summary>The most a capacity check's timing allowance may rest on: a round trip no honest host at its declared place
/// needs from that checker.</summary>
/// <remarks>
/// <para>Why: a host can add delay, never remove it, and it knows which pings belong to a capacity check (they are
/// signed with the kind). <see cref="RoundTripHistory"/> judges on the smallest round trip the checker saw within a day,
/// so held pings buy nothing once the host has answered promptly before; but a checker that has not seen the host (the
/// registration check, a large network), or a host that holds every ping it ever answers, leaves the allowance to the
/// host. Physics and the host's own declaration bound it: the host says where it is, and no honest route from the
/// checker to that place takes longer than <see cref="RouteFactor"/> times the great circle in fibre, plus the floor
/// for access networks that the distance does not show (home lines, Wi-Fi, a busy last mile).</para>
/// <para>The cap is <c>floor + distance × RouteFactor ÷ 102 km per ms</c> (<see cref="LocationDelayModel.FibreKmPerMsOfRoundTrip"/>):
/// 150 ms + 29 ms at 1,000 km, 150 ms + 588 ms at the far side of the earth with the default floor. A host that held its
/// pings to look slower than that gains at most 1.3 × (cap − its true round trip): a few hundred milliseconds, where a
/// weaker card is seconds late on a check sized to 10 s of compute. An honest host slower than the cap is judged as if
/// it answered at the cap, and its declared place is flagged by the location check for the same round trips ("slower
/// than the declared place allows"); a host that declares a place far from a checker to widen the cap is near
/// another checker (assignment spreads them by location), whose cap is small.</para>
/// <para>What it does not do: where the compute a check can ask is short beside the cap (a data-centre card's check
/// is tens of milliseconds today, README "Timing"), a few hundred milliseconds still covers a weaker card. Pure.</para>
/// </remarks>
public static class RoundTripCap
{
    /// <summary>How much longer than the great circle an honest route may be: 3 (twice the delay model's average of
    /// 1.5, <see cref="Marketplace.LatencyModel.RouteFactor"/>).</summary>
    public const double RouteFactor = 3;

    /// <summary>The default floor: 150 ms, what access networks add at worst short of a satellite link.</summary>
    public static readonly TimeSpan DefaultFloor = TimeSpan.FromMilliseconds(150);

    /// <summary>The cap for a checker at <paramref name="checker"/> and a host that declares <paramref name="declared"/>.</summary>
    /// <param name="floor">What any access network may add, whatever the distance; positive.</param>
    public static TimeSpan For(LocationPoint checker, LocationPoint declared, TimeSpan floor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(floor, TimeSpan.Zero);
        var routeMs = checker.DistanceKm(declared) * RouteFactor / LocationDelayModel.FibreKmPerMsOfRoundTrip;
        return floor + TimeSpan.FromMilliseconds(routeMs);
    }

    /// <summary>The allowance a check's timing rests on: <paramref name="allowance"/>, but never more than
    /// <paramref name="cap"/> where there is one (null: none, as from a coordinator that sends none).</summary>
    public static TimeSpan Apply(TimeSpan allowance, TimeSpan? cap) =>
        cap is { } c && c > TimeSpan.Zero && allowance > c ? c : allowance;
}
