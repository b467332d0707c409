namespace Gpunet.Core.Sla;

/// <summary>A host over its SLO allowance in a month: its offline seconds in the month, how many UTC days it was offline
/// for the daily limit or more, its worst day, and whether the month's total went over the monthly allowance.</summary>
public sealed record HostSloBreach(string HostId, long OfflineSeconds, int DaysOverLimit, long WorstDaySeconds, bool OverMonthlyAllowance);
