namespace Gpunet.Core.Sla;

/// <summary>A standing maintenance window of a host: from <paramref name="From"/> (inclusive) to <paramref name="To"/>
/// (exclusive), both UTC, under its id in the store.</summary>
public sealed record MaintenanceWindow(long Id, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Whether it shares a moment with [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => From < to && from < To;
}
