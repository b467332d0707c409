using Gpunet.Coordinator.Api;
using Gpunet.Coordinator.Modules;
using Gpunet.Coordinator.Scheduling;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The marketplace: GPU search, orders, placement on hosts, leases through their states, logs.</summary>
internal static class MarketplaceModule
{
    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<MarketOptions>()
            .Validate(o => o.MarketInterval > TimeSpan.Zero, "MarketInterval: must be positive")
            .Validate(o => o.ForeignChangeScanInterval > TimeSpan.Zero, "ForeignChangeScanInterval: must be positive")
            .Validate(o => o.CapacityReconcileInterval > TimeSpan.Zero, "CapacityReconcileInterval: must be positive")
            .Validate(o => o.StreamLossFailoverAfter > TimeSpan.Zero, "StreamLossFailoverAfter: must be positive")
            .Validate(o => o.TrackRecordInterval > TimeSpan.Zero, "TrackRecordInterval: must be positive")
            .Validate(o => o.TrackRecordWindow > TimeSpan.Zero, "TrackRecordWindow: must be positive");
        services.AddSingleton<PlacementWriter>();
        services.AddSingleton<PlacementStore>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<LeaseLogFeed>();
        services.AddSingleton<QueuedLeaseLimit>();
        services.AddSingleton<HostTrackRecords>();
        services.AddSingleton<IRoundTripSink>(sp => sp.GetRequiredService<HostTrackRecords>());
        services.AddHostedService(sp => sp.GetRequiredService<HostTrackRecords>());
        services.AddSingleton<Market>();
        services.AddHostedService(sp => sp.GetRequiredService<Market>());
        return builder;
    }

    public static RouteGroupBuilder MapMarketplace(this RouteGroupBuilder api) => api.MapGpusApi().MapMarketApi().MapLeaseEventsApi();
}
