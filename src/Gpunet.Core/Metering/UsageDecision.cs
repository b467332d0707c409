namespace Gpunet.Core.Metering;

/// <summary>The verdict on one usage report: accepted with the milliseconds billed, or refused with a code and a reason.</summary>
public readonly record struct UsageDecision(bool Accepted, long BilledMs, UsageRefusal Code, string Reason)
{
    public static UsageDecision Accept(long billedMs) => new(true, billedMs, UsageRefusal.None, "");

    public static UsageDecision Refuse(UsageRefusal code, string reason) => new(false, 0, code, reason);
}
