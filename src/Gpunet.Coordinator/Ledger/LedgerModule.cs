using Gpunet.Coordinator.Modules;
using Gpunet.Core.Economics;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The token economy: the double-entry ledger, wallets and the faucet, stakes, escrow of orders, and the
/// settlement of each epoch (fees, rewards, slashing, unbonding).</summary>
internal static class LedgerModule
{
    public static WebApplicationBuilder AddLedger(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<LedgerOptions>()
            .Validate(o => o.HostEarningsRetention >= LedgerOptions.MinHostEarningsRetention, "HostEarningsRetention: at least 31 days");
        services.AddSingleton<HostEarningsRetention>();
        services.AddSingleton<IEarningsRetention>(sp => sp.GetRequiredService<HostEarningsRetention>());
        services.AddSingleton(sp => new EconomicsOptions { EpochLength = sp.GetRequiredService<IOptions<LedgerOptions>>().Value.EpochLength });
        services.AddSingleton(sp => new LedgerGenesis(new EmissionSchedule(sp.GetRequiredService<EconomicsOptions>()).PoolAtGenesis));
        services.AddSingleton<ILedgerStore, StoredLedgerStore>();
        services.AddSingleton<LedgerService>();
        services.AddSingleton(sp => new StakeTable(sp.GetRequiredService<EconomicsOptions>()));
        services.AddSingleton<HostStakes>();
        services.AddSingleton<Faucet>();
        services.AddSingleton<IPriceFeed>(sp => new FixedPriceFeed(new TokenRate(sp.GetRequiredService<IOptions<LedgerOptions>>().Value.UsdPerToken)));
        services.AddSingleton<UnplacedLeaseRelease>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerService>());
        // After the ledger has loaded: gives back what leases that ended unplaced still hold.
        services.AddHostedService(sp => sp.GetRequiredService<UnplacedLeaseRelease>());
        services.AddSingleton<IEpochInputs, StoredEpochInputs>();
        services.AddSingleton<ISettlementStore, StoredSettlementStore>();
        services.AddSingleton<IUnfundedLeaseEnding, MarketLeaseEnding>();
        services.AddSingleton<EpochService>();
        services.AddHostedService(sp => sp.GetRequiredService<EpochService>());
        return builder;
    }

    public static RouteGroupBuilder MapLedger(this RouteGroupBuilder api) => api.MapWalletApi().MapHostEarningsApi();
}
