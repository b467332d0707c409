using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>The whole network's SLA over a calendar month, for the network operator, counted from what settlement stored
/// (each epoch's credit reckoning per tiered lease, hosts' state changes), never by measuring leases on request.</summary>
/// <param name="Month">The month, <c>YYYY-MM</c> (UTC).</param>
/// <param name="From">The month's start.</param>
/// <param name="To">The month's end, or now while it runs.</param>
/// <param name="EpochsSettled">Epochs settled whose end falls in the period.</param>
/// <param name="LeasesOwedCredit">Leases below their tier's promise this month (a credit is due), as settlement reckoned
/// them; a lease down within its promise is owed nothing and is counted in its own report only.</param>
/// <param name="CustomersOwedCredit">The customers of those leases.</param>
/// <param name="HostsOwingCredit">The hosts that owe those credits.</param>
/// <param name="LeaseDowntimeSeconds">Those leases' downtime that counts against the customer, as last reckoned, seconds.</param>
/// <param name="CreditsOwed">Credits due this month, as last reckoned per lease, tokens.</param>
/// <param name="CreditsPaid">Credits settlement paid customers this month, tokens.</param>
/// <param name="CreditsUnpaid">Owed and not paid (the host had neither rewards nor stake left, or the next settlement pays it), tokens.</param>
/// <param name="HostsWithDowntime">Hosts offline (not heard) at some time in the period.</param>
/// <param name="HostsOverSlo">Hosts over their SLO allowance: a day offline for the daily limit or more, or the month over its allowance.</param>
/// <param name="MonthlyAllowanceSeconds">The month's offline allowance per host: (1 − monthly uptime target) of the month, seconds.</param>
/// <param name="DailyLimitSeconds">The daily offline limit, seconds.</param>
/// <param name="WorstHosts">The hosts over their allowance, most offline first, at most 20.</param>
public sealed record SlaSummaryView(
    [property: RegularExpression(ApiPatterns.Month)] string Month,
    DateTimeOffset From,
    DateTimeOffset To,
    int EpochsSettled,
    int LeasesOwedCredit,
    int CustomersOwedCredit,
    int HostsOwingCredit,
    long LeaseDowntimeSeconds,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string CreditsOwed,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string CreditsPaid,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string CreditsUnpaid,
    int HostsWithDowntime,
    int HostsOverSlo,
    double MonthlyAllowanceSeconds,
    double DailyLimitSeconds,
    [property: MaxLength(ShortLists.WorstHosts)] IReadOnlyList<HostSloBreachView> WorstHosts);
