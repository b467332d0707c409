using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Economics;

public sealed class EscrowPlanningTests
{
    private static readonly TokenAmount Minimum = Economy.Tokens(1);

    private static OrderSpec Order(OrderType type, decimal price, TimeSpan? duration, int gpus = 1) =>
        new() { Type = type, MaxPriceUsdPerGpuHour = price, Duration = duration, GpusPerHost = gpus };

    [Fact]
    public void FirstHold_Reserve_PrepaysTheWholeTermAtTheMaxPrice() =>
        // 2 USD × 4 GPUs × 48 h = 384 USD = 3,840 tokens at 0.10 USD/token
        Assert.Equal(Economy.Tokens(3840), EscrowPlanning.FirstHold(Order(OrderType.Reserve, 2m, TimeSpan.FromHours(48), 4), TokenRate.Default, Economy.Defaults, Minimum));

    [Fact]
    public void FirstHold_OnDemandWithoutTerm_HoldsOneHoldPeriod() =>
        // 1 USD × 24 h = 24 USD = 240 tokens
        Assert.Equal(Economy.Tokens(240), EscrowPlanning.FirstHold(Order(OrderType.OnDemand, 1m, null), TokenRate.Default, Economy.Defaults, Minimum));

    [Fact]
    public void FirstHold_TokenPrice_TakesTheMinimum() =>
        Assert.Equal(Minimum, EscrowPlanning.FirstHold(Order(OrderType.OnDemand, 0.0001m, TimeSpan.FromHours(1)), TokenRate.Default, Economy.Defaults, Minimum));

    [Fact]
    public void NextHold_TermUsedUp_Zero() =>
        Assert.Equal(TokenAmount.Zero, EscrowPlanning.NextHold(1000m, 1, 1000, 3600, 3600, TokenRate.Default, Economy.Defaults, Minimum));

    [Fact]
    public void NextHold_LastPartOfTheTerm_HoldsOnlyTheRest() =>
        // 1 USD for the last 30 minutes of a 2-hour term = 0.5 USD = 5 tokens
        Assert.Equal(Economy.Tokens(5), EscrowPlanning.NextHold(1m, 1, 1000, 7200, 5400, TokenRate.Default, Economy.Defaults, Minimum));

    [Property(MaxTest = 300)]
    public Property HoldSeconds_NeverMoreThanThePeriodNorTheRestOfTheTerm() =>
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), (term, charged) =>
        {
            var seconds = EscrowPlanning.HoldSeconds(term, charged, Economy.Defaults);
            var period = Economy.Defaults.OnDemandHoldHours * 3600L;
            return seconds >= 0 && seconds <= period && (term == 0 ? seconds == period : seconds <= Math.Max(0, term - charged));
        });

    [Fact]
    public void Funding_GangOfThree_LinkedChainClosedByTheLast()
    {
        var transfers = EscrowPlanning.Funding(Economy.Wallet(1), reserve: false, ["l-000000000001", "l-000000000002", "l-000000000003"], Economy.Tokens(10));

        Assert.Equal([TransferFlags.Pending | TransferFlags.Linked, TransferFlags.Pending | TransferFlags.Linked, TransferFlags.Pending],
            transfers.Select(t => t.Flags));
        Assert.Equal(EscrowPlanning.EscrowId("l-000000000002"), transfers[1].Id);
        Assert.Equal(AccountKey.LeaseEscrow("l-000000000003"), transfers[2].Credit);
    }

    [Fact]
    public void Funding_NothingToHold_NoTransfers() =>
        Assert.Empty(EscrowPlanning.Funding(Economy.Wallet(1), reserve: true, ["l-000000000001"], TokenAmount.Zero));

    [Fact]
    public void ReleaseUnplaced_OnDemand_VoidsTheOpenHold()
    {
        var hold = EscrowPlanning.EscrowId("l-00000000000a");

        var release = EscrowPlanning.ReleaseUnplaced("l-00000000000a", Economy.Wallet(1), reserve: false, hold, TokenAmount.Zero);

        Assert.Equal(TransferFlags.VoidPending, release!.Value.Flags);
        Assert.Equal(hold, release.Value.PendingId);
    }

    [Fact]
    public void ReleaseUnplaced_Reserve_RefundsTheWholeEscrowToTheCustomer()
    {
        var release = EscrowPlanning.ReleaseUnplaced("l-00000000000a", Economy.Wallet(1), reserve: true, null, Economy.Tokens(70));

        Assert.Equal(Economy.Tokens(70), release!.Value.Amount);
        Assert.Equal(AccountKey.Participant(Economy.Wallet(1), AccountPurpose.Available), release.Value.Credit);
    }

    [Fact]
    public void ReleaseUnplaced_NothingHeld_Nothing()
    {
        Assert.Null(EscrowPlanning.ReleaseUnplaced("l-00000000000a", Economy.Wallet(1), reserve: false, null, TokenAmount.Zero));
        Assert.Null(EscrowPlanning.ReleaseUnplaced("l-00000000000a", Economy.Wallet(1), reserve: true, null, TokenAmount.Zero));
    }

    // Escrow never exceeds the balance: a funded order leaves no wallet below zero, and a gang takes all or nothing.
    [Property(MaxTest = 200)]
    public Property Funding_AppliedToAWallet_NeverTakesMoreThanItHas() =>
        Prop.ForAll(Gen.Choose(1, 5).ToArbitrary(), Gen.Choose(0, 5_000).ToArbitrary(), Gen.Choose(1, 2_000).ToArbitrary(), (leases, balance, amount) =>
        {
            var book = new LedgerBook();
            var genesis = new AccountId(1);
            var wallet = AccountKey.Participant(Economy.Wallet(1), AccountPurpose.Available);
            book.CreateAccount(new AccountSpec(genesis, AccountKey.Network(AccountPurpose.Genesis)));
            book.CreateAccount(new AccountSpec(new AccountId(2), wallet));
            book.Genesis(genesis, TokenAmount.TotalSupply);
            book.Apply([new Transfer(TransferId.FromParts(9, 9), genesis, new AccountId(2), Economy.Tokens(balance), 1, TransferFlags.None)]);
            var ids = Enumerable.Range(1, leases).Select(i => $"l-{i:x12}").ToList();
            for (var i = 0; i < ids.Count; i++)
                book.CreateAccount(new AccountSpec(new AccountId(3 + i), AccountKey.LeaseEscrow(ids[i])));
            var transfers = EscrowPlanning.Funding(Economy.Wallet(1), reserve: true, ids, Economy.Tokens(amount));
            var results = book.Apply([.. transfers.Select(t => new Transfer(t.Id, new AccountId(2), new AccountId(3 + ids.IndexOf(t.Credit.Owner)), t.Amount, (ushort)t.Code, t.Flags))]);
            var escrowed = ids.Select((_, i) => book.Balance(new AccountId(3 + i)).BaseUnits).Sum();
            var allTaken = results.All(r => r == TransferResult.Ok);
            return escrowed <= Economy.Tokens(balance).BaseUnits
                && (allTaken ? escrowed == Economy.Tokens((decimal)amount * leases).BaseUnits : escrowed == 0)
                && allTaken == ((long)amount * leases <= balance);
        });
}
