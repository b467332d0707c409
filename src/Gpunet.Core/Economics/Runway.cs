namespace Gpunet.Core.Economics;

/// <summary>How long a customer's free balance keeps its running leases going: what the console's low-balance alert
/// says. What is held already pays for the leases' current period; each settlement takes the next period's hold from
/// the available balance, and a lease whose next hold cannot be taken is ended, so the runway counts the available
/// balance only.</summary>
public static class Runway
{
    /// <summary>Tokens an hour that <paramref name="leases"/> (each a price per GPU-hour and its GPUs)
    /// cost at <paramref name="usdPerToken"/>; a slice of a GPU counts as its fraction.</summary>
    public static decimal TokensPerHour(IEnumerable<(decimal UsdPerGpuHour, decimal Gpus)> leases, decimal usdPerToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(usdPerToken);
        return leases.Sum(l => l.UsdPerGpuHour * l.Gpus) / usdPerToken;
    }

    /// <summary>Hours <paramref name="availableTokens"/> last at <paramref name="tokensPerHour"/>; null when nothing
    /// runs (no runway to speak of).</summary>
    public static double? Hours(decimal availableTokens, decimal tokensPerHour) =>
        tokensPerHour <= 0 ? null : (double)(Math.Max(0, availableTokens) / tokensPerHour);

    /// <summary>Whether the runway is short: less than <paramref name="warnBelow"/> left.</summary>
    public static bool IsShort(double? hours, TimeSpan warnBelow) => hours is { } h && h < warnBelow.TotalHours;
}
