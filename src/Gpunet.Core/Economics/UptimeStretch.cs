namespace Gpunet.Core.Economics;

/// <summary>One unbroken time a host was heard and Ready: from <paramref name="From"/> (inclusive) to
/// <paramref name="Until"/> (exclusive), both UTC.</summary>
public readonly record struct UptimeStretch(DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>Its length in whole seconds (truncated), as uptime is counted.</summary>
    public long WholeSeconds => Until > From ? (long)(Until - From).TotalSeconds : 0;
}
