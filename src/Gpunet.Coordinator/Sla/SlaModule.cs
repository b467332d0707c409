using Gpunet.Coordinator.Modules;

namespace Gpunet.Coordinator.Sla;

/// <summary>Service contracts: SLA tiers and which hosts qualify for them, maintenance windows, availability and its
/// downtime windows, credits at settlement, reports.</summary>
internal static class SlaModule
{
    public static WebApplicationBuilder AddSla(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<SlaOptions>()
            .Validate(o => SlaTiers.Problems(o) is { Count: 0 }, "SlaTiers: invalid (see each tier's settings)")
            .Validate(o => o.MaintenanceNotice >= TimeSpan.Zero, "MaintenanceNotice: must not be negative")
            .Validate(o => o.MaintenanceMaxLength > TimeSpan.Zero, "MaintenanceMaxLength: must be positive")
            .Validate(o => o.MaintenanceLookahead >= TimeSpan.Zero, "MaintenanceLookahead: must not be negative")
            .Validate(o => o.HostMonthlyUptime is >= 0 and <= 1, "HostMonthlyUptime: from 0 to 1")
            .Validate(o => o.HostDailyOfflineLimit > TimeSpan.Zero && o.HostDailyOfflineLimit <= TimeSpan.FromDays(1), "HostDailyOfflineLimit: above 0, at most a day");
        services.AddSingleton<SlaTiers>();
        services.AddSingleton<SlaMeasurement>();
        services.AddSingleton<SlaReports>();
        return builder;
    }

    public static RouteGroupBuilder MapSla(this RouteGroupBuilder api) => api.MapSlaReportApi();
}
