namespace Gpunet.Contracts.Sla;

/// <summary>One UTC day's availability in a report: seconds owed, seconds down against the customer, and the share up.</summary>
public sealed record SlaDayView(DateOnly Day, double ObligatedSeconds, double DowntimeSeconds, double Availability);
