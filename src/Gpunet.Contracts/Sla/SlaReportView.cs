using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>An SLA report over a calendar month for one lease, one host or one customer's leases.</summary>
/// <param name="Subject"><c>lease</c>, <c>host</c> or <c>customer</c>.</param>
/// <param name="Id">The lease id, host id or customer address reported on.</param>
/// <param name="Month">The month, <c>YYYY-MM</c> (UTC).</param>
/// <param name="From">The period's start (the month's start, or the subject's first service in it).</param>
/// <param name="To">The period's end (the month's end, or now while it runs).</param>
/// <param name="Tier">The tier reported against: the lease's; for a host or customer the strictest tier served.</param>
/// <param name="Availability">1 − downtime ÷ obligated time, a fraction (1 when nothing was owed).</param>
/// <param name="ObligatedSeconds">Seconds of service owed in the period.</param>
/// <param name="DowntimeSeconds">Seconds down that count against the customer (maintenance excluded).</param>
/// <param name="MaintenanceSeconds">Seconds of declared maintenance.</param>
/// <param name="Met">Whether the availability reached the tier's promise.</param>
/// <param name="Credits">Credits paid in the period, earliest first: 1,000 of them from the <c>creditsFrom</c>-th (the first
/// by default).</param>
/// <param name="CreditedTotal">Their sum, in tokens.</param>
/// <param name="Windows">The downtime windows, earliest first: 1,000 of them from the <c>windowsFrom</c>-th (the first by
/// default); windows never overlap.</param>
/// <param name="Daily">Availability per UTC day of the period, for the chart.</param>
/// <param name="HostSlo">Host reports: the SLO per day (&lt; 30 minutes offline); empty otherwise.</param>
/// <param name="HostMonthlyUptime">Host reports: the month's uptime, a fraction; null otherwise.</param>
/// <param name="HostSloMet">Host reports: whether both SLOs held; null otherwise.</param>
/// <param name="CreditsUnlisted">Credits after those listed (the total counts them; <c>creditsFrom</c> reads on); null when
/// none come after.</param>
/// <param name="WindowsUnlisted">Windows after those listed (the seconds count them; <c>windowsFrom</c> reads on); null
/// when none come after.</param>
public sealed record SlaReportView(
    [property: AllowedValues("lease", "host", "customer")] string Subject,
    [property: RegularExpression("^(lease-[0-9a-f]{12}|host-[0-9a-f]{12}|0x[0-9a-f]{40})$")] string Id,
    [property: RegularExpression(ApiPatterns.Month)] string Month,
    DateTimeOffset From,
    DateTimeOffset To,
    [property: MaxLength(TextLimits.Label)] string Tier,
    double Availability,
    double ObligatedSeconds,
    double DowntimeSeconds,
    double MaintenanceSeconds,
    bool Met,
    [property: MaxLength(ShortLists.ReportEntries)] IReadOnlyList<SlaCreditView> Credits,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string CreditedTotal,
    [property: MaxLength(ShortLists.ReportEntries)] IReadOnlyList<DowntimeWindowView> Windows,
    [property: MaxLength(ShortLists.DaysOfMonth)] IReadOnlyList<SlaDayView> Daily,
    [property: MaxLength(ShortLists.DaysOfMonth)] IReadOnlyList<HostSloDayView> HostSlo,
    double? HostMonthlyUptime,
    bool? HostSloMet,
    int? CreditsUnlisted = null,
    int? WindowsUnlisted = null);
