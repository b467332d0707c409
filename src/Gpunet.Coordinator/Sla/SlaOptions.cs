namespace Gpunet.Coordinator.Sla;

/// <summary>Service contracts: the tiers offered, maintenance windows, host SLOs. Bound from the <c>Coordinator</c>
/// section, keys as named here (a tier: <c>Coordinator:SlaTiers:enterprise:AvailabilityPercent</c>).</summary>
public sealed class SlaOptions
{
    /// <summary>The tiers by name; configuration adds tiers or changes a default one's settings.</summary>
    public Dictionary<string, SlaTierOptions> SlaTiers { get; init; } = SlaTierOptions.Defaults();

    /// <summary>How far ahead a maintenance window must be declared. Default 24 hours.</summary>
    public TimeSpan MaintenanceNotice { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest one maintenance window may be. Default 12 hours.</summary>
    public TimeSpan MaintenanceMaxLength { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How far ahead a maintenance window may start at the latest. Default 90 days.</summary>
    public TimeSpan MaintenanceHorizon { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The most maintenance windows one host may have declared and not yet over. Default 20.</summary>
    public int MaintenanceMaxStanding { get; set; } = 20;

    /// <summary>How often the matcher's copy of the standing windows is read again from the store, so that windows
    /// declared or withdrawn through another coordinator count. Default 30 seconds.</summary>
    public TimeSpan MaintenanceRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far ahead the matcher keeps an open-ended lease (on-demand, no hours) off a host with a window coming.
    /// Default 24 hours.</summary>
    public TimeSpan MaintenanceLookahead { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Host SLO: least monthly uptime, a fraction. Default 0.99.</summary>
    public double HostMonthlyUptime { get; set; } = 0.99;

    /// <summary>Host SLO: offline time per UTC day must stay below this. Default 30 minutes.</summary>
    public TimeSpan HostDailyOfflineLimit { get; set; } = TimeSpan.FromMinutes(30);
}
