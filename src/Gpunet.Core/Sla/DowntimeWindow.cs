namespace Gpunet.Core.Sla;

/// <summary>One stretch of downtime, from <paramref name="Start"/> (inclusive) to <paramref name="End"/> (exclusive),
/// both UTC, with its cause and the evidence in words (<c>host offline: no heartbeat for 61 s</c>,
/// <c>capacity check chk_… failed</c>).</summary>
public sealed record DowntimeWindow(DateTimeOffset Start, DateTimeOffset End, DowntimeCause Cause, string Detail)
{
    /// <summary>Its length.</summary>
    public TimeSpan Length => End > Start ? End - Start : TimeSpan.Zero;
}
