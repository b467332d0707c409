using Gpunet.Coordinator.Modules;

namespace Gpunet.Coordinator.Leadership;

/// <summary>One coordinator at a time leads the network and runs its duties; the others serve the API and agents.</summary>
internal static class LeadershipModule
{
    public static WebApplicationBuilder AddLeadership(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<LeadershipOptions>()
            .Validate(o => o.LeaderLease >= TimeSpan.FromMilliseconds(300), "LeaderLease: at least 300 ms")
            .Validate(o => o.LeaderRenewInterval > TimeSpan.Zero && o.LeaderRenewInterval * 2 <= o.LeaderLease,
                "LeaderRenewInterval: above zero, at most half of LeaderLease (a renewal may fail once before the lease lapses)")
            .Validate(o => o.CoordinatorId is null || o.CoordinatorId.Length is > 0 and <= 128, "CoordinatorId: 1 to 128 characters");
        services.AddSingleton<LeadershipStore>();
        services.AddSingleton<LeadershipState>();
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeadershipState>());
        services.AddSingleton<LeaderElection>();
        // Added right after the store's start-up: it runs its first round before any duty's service starts.
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElection>());
        return builder;
    }
}
