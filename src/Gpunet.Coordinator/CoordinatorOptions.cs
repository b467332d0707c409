using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Edge;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator;

/// <summary>Settings of one coordinator, one object per module. All are bound from the one <c>Coordinator</c>
/// configuration section with flat keys (<c>Coordinator__HeartbeatInterval</c>), so a key names a setting, not a module.</summary>
public sealed class CoordinatorOptions
{
    public const string Section = "Coordinator";

    /// <summary>The database and the data folder.</summary>
    public StoreOptions Store { get; init; } = new();

    /// <summary>Request limits, trusted proxies, the public address.</summary>
    public EdgeOptions Edge { get; init; } = new();

    /// <summary>The network's name, the operator's token, sign-in.</summary>
    public AccessOptions Access { get; init; } = new();

    /// <summary>Heartbeats and host health.</summary>
    public HostsOptions Hosts { get; init; } = new();

    /// <summary>Placement and order limits.</summary>
    public MarketOptions Market { get; init; } = new();

    /// <summary>Price, epochs, stake, the faucet.</summary>
    public LedgerOptions Ledger { get; init; } = new();

    /// <summary>Usage reports.</summary>
    public MeteringOptions Metering { get; init; } = new();

    /// <summary>KYC, locations, the sweep.</summary>
    public ComplianceOptions Compliance { get; init; } = new();

    /// <summary>Checkers and checks.</summary>
    public Verification.VerificationOptions Verification { get; init; } = new();

    /// <summary>SLA tiers, maintenance windows, host SLOs.</summary>
    public Sla.SlaOptions Sla { get; init; } = new();

    /// <summary>The leader election among coordinators over one store.</summary>
    public LeadershipOptions Leadership { get; init; } = new();

    /// <summary>The web console: its one-time sign-in links and live network view.</summary>
    public Gpunet.Coordinator.Console.ConsoleOptions Console { get; init; } = new();

    /// <summary>Reads every module's settings from <paramref name="configuration"/>, then applies <paramref name="configure"/>:
    /// what the host needs before its services exist (listen limits, the data folder, which KYC provider to register).</summary>
    internal static CoordinatorOptions Read(IConfiguration configuration, Action<CoordinatorOptions>? configure)
    {
        var options = new CoordinatorOptions();
        var section = configuration.GetSection(Section);
        foreach (var part in options.Parts)
            section.Bind(part);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A whole set of settings whose one module part is <paramref name="part"/>, so a caller's overrides of
    /// every module can be applied to the part being built (the other parts are thrown away).</summary>
    internal static CoordinatorOptions Around(object part) => part switch
    {
        StoreOptions p => new() { Store = p },
        EdgeOptions p => new() { Edge = p },
        AccessOptions p => new() { Access = p },
        HostsOptions p => new() { Hosts = p },
        MarketOptions p => new() { Market = p },
        LedgerOptions p => new() { Ledger = p },
        MeteringOptions p => new() { Metering = p },
        ComplianceOptions p => new() { Compliance = p },
        Verification.VerificationOptions p => new() { Verification = p },
        Sla.SlaOptions p => new() { Sla = p },
        LeadershipOptions p => new() { Leadership = p },
        Gpunet.Coordinator.Console.ConsoleOptions p => new() { Console = p },
        _ => throw new ArgumentException($"{part.GetType().Name} is not a module's options", nameof(part)),
    };

    private IEnumerable<object> Parts => [Store, Edge, Access, Hosts, Market, Ledger, Metering, Compliance, Verification, Sla, Leadership, Console];
}
