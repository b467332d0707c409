using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Simulation;

/// <summary>A seeded, deterministic simulation of the whole network under faults (<c>gpunet sim chaos</c>): hosts' agents,
/// customers and a coordinator (crashing and restarting over its store) on a virtual network and clock, with every
/// invariant checked after every step. The same options replay the same run.</summary>
public static class ChaosSimulation
{
    /// <summary>The simulated clock's start: 2027-01-15, Unix milliseconds.</summary>
    public const long StartMs = 1_800_000_000_000;

    /// <summary>Tokens each customer starts with.</summary>
    public static readonly TokenAmount CustomerFunds = TokenAmount.FromTokens(10_000_000);

    /// <summary>Stake behind each host.</summary>
    public static readonly TokenAmount HostStake = TokenAmount.FromTokens(1_000);

    /// <summary>Runs <paramref name="options"/>; <paramref name="progress"/> hears the steps taken every 10,000.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message lists why).</exception>
    public static ChaosReport Run(ChaosOptions options, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join("; ", errors), nameof(options));

        var clock = new Scheduler(StartMs);
        var random = new SimRandom(options.Seed);
        var truth = new Truth((options.HeartbeatMs * 2) + 500);
        var store = Genesis(options);
        var coordinator = new SimCoordinator(clock, random, options, store, truth);
        var network = new VirtualNetwork(clock, random, options, truth.Counters) { Coordinator = coordinator };
        coordinator.Network = network;
        var agents = store.Hosts.Select(h => new SimAgent(h.Id, clock, random, options, truth)
        {
            Network = network,
            SkewMs = random.Between(-options.MaxSkewMs, options.MaxSkewMs),
        }).ToList();
        var invariants = new Invariants(store, truth, agents);

        coordinator.Start();
        foreach (var agent in agents)
            clock.After(random.Between(0, 2_000), agent.Boot);
        new Customers(clock, random, options, truth, coordinator, network).Start();
        if (options.Faults)
            new Faults(clock, random, options, truth, coordinator, network, agents).Start();
        invariants.Start();

        try
        {
            while (clock.Steps < options.Steps && clock.Step())
            {
                invariants.AfterStep();
                if (clock.Steps % 10_000 == 0)
                {
                    progress?.Report(clock.Steps);
                    cancellation.ThrowIfCancellationRequested();
                }
            }

            invariants.Final();
        }
        catch (SimulationInvariantException e)
        {
            return new ChaosReport(options, clock.Steps, clock.Now - StartMs, truth.Counters,
                new ChaosViolation(options.Seed, clock.Steps, clock.Now - StartMs, e.Invariant, e.Detail));
        }

        return new ChaosReport(options, clock.Steps, clock.Now - StartMs, truth.Counters, null);
    }

    // The store before the first step: hosts registered and staked, customers funded from genesis.
    private static SimStore Genesis(ChaosOptions options)
    {
        var store = new SimStore { LastSettledEpoch = (StartMs / options.EpochMs) - 1 };
        var ledger = store.Ledger;
        long funding = 0;
        for (var i = 0; i < options.Customers; i++)
        {
            var account = ledger.Open(AccountKey.Participant(Address(0xC0_0000 + i), AccountPurpose.Available));
            ledger.Move(TransferIds.For(TransferIds.Funding, 0, ++funding), ledger.Genesis, account, CustomerFunds, TransferIds.Funding, StartMs);
            store.Customers.Add(account);
        }

        for (var i = 0; i < options.Hosts; i++)
        {
            var @operator = Address(0x0_0000 + i);
            var host = new StoredHost(i, "h" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ledger.Open(AccountKey.Participant(@operator, AccountPurpose.Available)),
                ledger.Open(AccountKey.Participant(@operator, AccountPurpose.Staked)), options.GpusPerHost)
            {
                StateSinceMs = StartMs,
            };
            ledger.Move(TransferIds.For(TransferIds.Funding, 0, ++funding), ledger.Genesis, host.Stake, HostStake, TransferIds.Funding, StartMs);
            store.Hosts.Add(host);
            store.HostsById.Add(host.Id, host);
        }

        return store;
    }

    private static Address Address(long n) => Gpunet.Core.Identity.Address.Parse("0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture));
}
