using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Modules;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>Service contracts: SLA tiers and which hosts qualify for them (track record; for a session, measured round
/// trips), maintenance windows, availability and its downtime windows, credits at settlement, reports.</summary>
internal static class SlaModule
{
    public static WebApplicationBuilder AddSla(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<SlaOptions>()
            .Validate(o => o.MaintenanceNotice >= TimeSpan.Zero, "MaintenanceNotice: must not be negative")
            .Validate(o => o.MaintenanceMaxLength > TimeSpan.Zero, "MaintenanceMaxLength: must be positive")
            .Validate(o => o.MaintenanceLookahead >= TimeSpan.Zero, "MaintenanceLookahead: must not be negative")
            .Validate(o => o.MaintenanceHorizon > TimeSpan.Zero, "MaintenanceHorizon: must be positive")
            .Validate(o => o.MaintenanceMaxStanding >= 1, "MaintenanceMaxStanding: at least 1")
            .Validate(o => o.MaintenanceRefreshInterval > TimeSpan.Zero, "MaintenanceRefreshInterval: must be positive")
            .Validate(o => o.HostMonthlyUptime is >= 0 and <= 1, "HostMonthlyUptime: from 0 to 1")
            .Validate(o => o.HostDailyOfflineLimit > TimeSpan.Zero && o.HostDailyOfflineLimit <= TimeSpan.FromDays(1), "HostDailyOfflineLimit: above 0, at most a day");
        services.AddSingleton<IValidateOptions<SlaOptions>, SlaTiersValidation>();
        services.AddSingleton<SlaTiers>();
        services.AddSingleton<IPlacementRule, SlaQualificationRule>();
        services.AddSingleton<IPlacementRule, SessionLatencyPlacementRule>();
        services.AddSingleton<SlaMeasurement>();
        services.AddSingleton<IEpochCredits, SlaCreditReckoning>();
        services.AddSingleton<ITransferReasons, SlaCreditReasons>();
        services.AddSingleton<IHostOfflineTime, StoredHostOfflineTime>();
        services.AddSingleton<MaintenanceStore>();
        services.AddSingleton<MaintenanceRule>();
        services.AddSingleton<IPlacementRule>(sp => sp.GetRequiredService<MaintenanceRule>());
        services.AddHostedService(sp => sp.GetRequiredService<MaintenanceRule>());
        services.AddSingleton<MaintenanceService>();
        services.AddSingleton<SlaReports>();
        services.AddSingleton<SlaSummaries>();
        return builder;
    }

    public static RouteGroupBuilder MapSla(this RouteGroupBuilder api) => api
        .MapSlaApi()
        .MapMaintenanceApi()
        .MapSlaReportApi()
        .MapSlaSummaryApi();
}
