namespace Gpunet.Core.Sla;

/// <summary>The host SLO's consequence in the reward rules: a container offline (not heard) for the daily limit or more
/// within an epoch earns no Proof of Capacity for it; its fees and delivery rewards are unaffected (downtime while
/// serving is already unbilled and slashed).</summary>
public static class HostSloRewards
{
    /// <summary>Whether a container offline <paramref name="offlineSeconds"/> in the epoch keeps its capacity reward:
    /// only while that stays below <paramref name="dailyLimit"/> (30 minutes by default).</summary>
    public static bool KeepsCapacityReward(long offlineSeconds, TimeSpan dailyLimit) => offlineSeconds < dailyLimit.TotalSeconds;
}
