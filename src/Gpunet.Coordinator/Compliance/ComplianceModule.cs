using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Modules;
using Gpunet.Core.Identity;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Compliance: KYC/KYB (the review queue or an external vendor), host locations, the policy (geofences,
/// export controls, sanctions), its enforcement on hosts and leases, the audit log.</summary>
internal static class ComplianceModule
{
    public static WebApplicationBuilder AddCompliance(this WebApplicationBuilder builder, CoordinatorOptions settings)
    {
        var services = builder.Services;
        services.AddModuleOptions<ComplianceOptions>()
            .Validate(o => o.KycValidity > TimeSpan.Zero, "KycValidity: must be positive")
            .Validate(o => o.ComplianceSweepInterval >= TimeSpan.FromMilliseconds(100), "ComplianceSweepInterval: at least 100 ms")
            .Validate(o => o.KycVendor is null || (o.KycVendorUrl is not null && o.KycVendorSecret is { Length: >= 16 }),
                "KycVendor: a vendor needs KycVendorUrl and a KycVendorSecret of at least 16 characters")
            .Validate(o => o.ComplianceOfficers.All(a => Address.TryParse(a, out _, out _)),
                "ComplianceOfficers: each must be a wallet address (0x + 40 hex digits)");
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<ICompliancePolicyStore, EfCompliancePolicyStore>();
        services.AddSingleton<IKycSubmissionStore, EfKycSubmissionStore>();
        services.AddSingleton<IHostLocationStore, EfHostLocationStore>();
        services.AddSingleton<PolicyInForce>();
        services.AddSingleton<KycStandings>();
        services.AddSingleton<RoundTripFlags>();
        services.AddSingleton<HostLocations>();
        services.AddSingleton<ComplianceService>();
        if (settings.Compliance.KycVendor is null)
            services.AddSingleton<IKycProvider, ReviewQueueProvider>();
        else
            services.AddHttpClient<IKycProvider, HttpKycVendor>(h => h.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<KycService>();
        services.AddSingleton<KycWebhooks>();
        services.AddSingleton<ComplianceEnforcer>();
        services.AddSingleton<ComplianceAdministration>();
        services.AddSingleton<IWithdrawalGate, ComplianceWithdrawalGate>();
        services.AddHostedService(sp => sp.GetRequiredService<ComplianceEnforcer>());
        return builder;
    }

    public static RouteGroupBuilder MapCompliance(this RouteGroupBuilder api) => api.MapComplianceApi().MapComplianceHostsApi();
}
