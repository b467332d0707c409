using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Ledger.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>Epoch settlement driven directly through its ports, in memory, on a fake clock: one staked host serving one
/// metered on-demand lease for an hour of the epoch.</summary>
public sealed class EpochServicePortTests
{
    private const string LeaseId = "l-000000000001";
    private static readonly EconomicsOptions Economics = new();
    private static readonly long Epoch = Economics.EpochOf(DateTimeOffset.Parse("2025-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private static readonly Address Customer = Address.Parse("0x" + new string('c', 40));
    private static readonly Address Operator = Address.Parse("0x" + new string('9', 40));

    // This port test's network has no tiered lease short of its promise.
    private sealed class NoCredits : IEpochCredits
    {
        public Task<IReadOnlyList<(SlaCreditClaim Claim, SlaCreditRecord Row)>> ReckonAsync(long epoch, DateTimeOffset start, DateTimeOffset end, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<(SlaCreditClaim, SlaCreditRecord)>>([]);
    }

    // Nor a host offline this month.
    private sealed class NothingToForget : IEarningsRetention
    {
        public Task<int> SweepAsync(CancellationToken ct) => Task.FromResult(0);
    }

    private sealed class NeverOffline : IHostOfflineTime
    {
        public Task<IReadOnlyDictionary<string, long>> OfflineSecondsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
            Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>());
    }

    private sealed class NoLeaseEnding : IUnfundedLeaseEnding
    {
        public List<string> Ended { get; } = [];

        public Task EndForFundsAsync(string leaseId, string detail)
        {
            Ended.Add(leaseId);
            return Task.CompletedTask;
        }
    }

    // A power cut inside the settlement's transaction: everything is written, then the commit never happens.
    private sealed class PowerCutSettlementStore(ISettlementStore inner) : ISettlementStore
    {
        public SettlementCommit Commit(SettlementWrite write)
        {
            var steps = inner.Commit(write);
            return steps with
            {
                Holds = async (connection, tx, results, ct) =>
                {
                    await steps.Holds(connection, tx, results, ct);
                    throw new IOException("power cut before the commit");
                },
            };
        }
    }

    private sealed record Network(InMemoryLedgerStore LedgerStore, LedgerService Ledger, InMemoryEpochStore Epochs, FakeTimeProvider Time);

    private static async Task<Network> NetworkAsync()
    {
        var start = Economics.EpochStart(Epoch);
        var time = new FakeTimeProvider(Economics.EpochStart(Epoch + 2));
        var store = new InMemoryLedgerStore();
        var ledger = await LedgerServicePortTests.StartAsync(store, time);
        var host = HostId.FromFingerprint("host one");
        var stakes = new StakeTable(Economics);
        var spec = new Gpunet.Core.Marketplace.OrderSpec { MaxPriceUsdPerGpuHour = 3m };
        var hold = EscrowPlanning.FirstHold(spec, TokenRate.Default, Economics, TokenAmount.FromTokens(10));
        var genesis = AccountKey.Network(AccountPurpose.Genesis);
        var customer = AccountKey.Participant(Customer, AccountPurpose.Available);
        var funded = await ledger.SubmitAsync(
        [
            new(TransferId.FromParts(5, 1), genesis, AccountKey.HostStake(host), stakes.RequiredStake(["H100"]), TransferCode.Stake),
            new(TransferId.FromParts(5, 2), genesis, customer, TokenAmount.FromTokens(100_000), TransferCode.Deposit),
            .. EscrowPlanning.Funding(Customer, reserve: false, [LeaseId], hold),
        ], CancellationToken.None);
        Assert.All(funded, r => Assert.Equal(TransferResult.Ok, r));

        var epochs = new InMemoryEpochStore();
        epochs.Hosts.Add(new EpochHost(host.Value, Operator.Value, [("H100", 1)]));
        epochs.Transitions.Add((host.Value, HostState.Ready, start.AddHours(-1)));
        epochs.Usage.Add((LeaseId, host.Value, 3_600_000, start.AddHours(2)));
        epochs.Leases.Add(new OpenLeaseBilling(new LeaseBillingRecord
        {
            LeaseId = LeaseId, Customer = Customer.Value, Kind = "on-demand", UsdPerToken = TokenRate.Default.UsdPerToken, MaxUsdPerGpuHour = 3m,
            Gpus = 1, GpuMilli = 1000, HoldId = EscrowPlanning.EscrowId(LeaseId).ToString(), HoldAmount = hold.BaseUnits,
        }, null, null, host.Value, 2m, Operator.Value));
        return new Network(store, ledger, epochs, time);
    }

    private static EpochService Service(Network n, ISettlementStore settlements) =>
        new(n.Epochs, settlements, n.Ledger, new NoLeaseEnding(), new NoCredits(), new NeverOffline(), new StakeTable(Economics), Economics, n.Time,
            Options.Create(new LedgerOptions()), Options.Create(new MeteringOptions()), Options.Create(new MarketOptions()), Options.Create(new Gpunet.Coordinator.Sla.SlaOptions()), NullLogger<EpochService>.Instance,
            new SoleLeader(), new NothingToForget());

    private static async Task<TokenAmount> CustomerAvailableAsync(Network n) =>
        (await n.Ledger.AccountsAsync([AccountKey.Participant(Customer, AccountPurpose.Available)], CancellationToken.None))[0]!.Value.Available;

    [Fact]
    public async Task Settle_SameEpochTwice_SettlesOnce()
    {
        var n = await NetworkAsync();
        var service = Service(n, n.Epochs);

        var first = await service.SettleAsync(Epoch, CancellationToken.None);
        var stored = n.LedgerStore.TransferCount;
        var available = await CustomerAvailableAsync(n);
        var second = await service.SettleAsync(Epoch, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Single(n.Epochs.Epochs);
        Assert.Equal(stored, n.LedgerStore.TransferCount);
        Assert.Equal(available, await CustomerAvailableAsync(n));
        // An hour at 2 USD is 20 tokens, charged from the hold; the next day's hold at 3 USD (720 tokens) is taken.
        Assert.Equal(TokenAmount.FromTokens(100_000 - 20 - 720), available);
        await n.Ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Settle_FiftyEpochs_OperatorsVestingAndAvailableAsEachTrancheVestedLinearly()
    {
        // Tranches are kept as written and their releases computed from time (not rewritten each epoch): the wallet's
        // figures must be what rewriting gave, each epoch's earnings vesting linearly over 45 days from the epoch's end.
        var n = await NetworkAsync();
        var service = Service(n, n.Epochs);
        var earned = new List<(DateTimeOffset End, long Amount)>();
        for (var epoch = Epoch; epoch < Epoch + 50; epoch++)
        {
            var record = await service.SettleAsync(epoch, CancellationToken.None);
            var totals = System.Text.Json.JsonSerializer.Deserialize<EpochTotals>(record!.Totals, EpochView.Json)!;
            earned.Add((record.End, (totals.HostFees + totals.CapacityRewards + totals.DeliveryRewards).BaseUnits));

            var vested = earned.Sum(e => (long)((Int128)e.Amount * Math.Clamp((record.End - e.End).Ticks, 0, Economics.VestingPeriod.Ticks) / Economics.VestingPeriod.Ticks));
            var wallet = await n.Ledger.AccountsAsync(
                [AccountKey.Participant(Operator, AccountPurpose.Vesting), AccountKey.Participant(Operator, AccountPurpose.Available)], CancellationToken.None);
            Assert.Equal(earned.Sum(e => e.Amount) - vested, wallet[0]!.Value.Balance.BaseUnits);
            Assert.Equal(vested, wallet[1]?.Balance.BaseUnits ?? 0);
        }

        Assert.True(earned.All(e => e.Amount > 0), "the host earned every epoch");
        // The first five epochs' tranches vested fully and are gone; the rest are kept as their settlement wrote them.
        Assert.Equal(45, n.Epochs.Tranches.Count);
        Assert.All(n.Epochs.Tranches, t => Assert.Equal(TokenAmount.Zero, t.Released));
        await n.Ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Settle_PowerCutBeforeTheCommit_NothingHalfWrittenAndTheRetrySettlesAsIfNothingHappened()
    {
        var n = await NetworkAsync();
        var stored = n.LedgerStore.TransferCount;
        var available = await CustomerAvailableAsync(n);

        await Assert.ThrowsAsync<IOException>(() => Service(n, new PowerCutSettlementStore(n.Epochs)).SettleAsync(Epoch, CancellationToken.None));

        Assert.Empty(n.Epochs.Epochs);
        Assert.Equal(stored, n.LedgerStore.TransferCount);
        Assert.Equal(available, await CustomerAvailableAsync(n));
        Assert.Equal(EscrowPlanning.EscrowId(LeaseId).ToString(), Assert.Single(n.Epochs.Leases).Billing.HoldId);

        var retried = await Service(n, n.Epochs).SettleAsync(Epoch, CancellationToken.None);
        var reference = await NetworkAsync();
        var expected = await Service(reference, reference.Epochs).SettleAsync(Epoch, CancellationToken.None);
        Assert.Equal(expected!.Totals, retried!.Totals);
        Assert.Equal(expected.Transfers, retried.Transfers);
        Assert.Equal(await CustomerAvailableAsync(reference), await CustomerAvailableAsync(n));
        await n.Ledger.StopAsync(CancellationToken.None);
        await reference.Ledger.StopAsync(CancellationToken.None);
    }
}
