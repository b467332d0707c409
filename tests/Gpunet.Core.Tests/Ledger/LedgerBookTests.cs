using Gpunet.Core.Ledger;
using static Gpunet.Core.Tests.Ledger.Books;

namespace Gpunet.Core.Tests.Ledger;

public sealed class LedgerBookTests
{
    [Fact]
    public void Apply_PlainTransfer_MovesTheAmountAndRecordsIt()
    {
        var book = Create();
        var t = T(1, Genesis, Alice, 300) with { Timestamp = 1_700_000_000_000 };

        Assert.Equal(TransferResult.Ok, book.ApplyOne(t));

        Assert.Equal(700, book.BalanceOf(Genesis));
        Assert.Equal(300, book.BalanceOf(Alice));
        Assert.True(book.TryGetTransfer(t.Id, out var stored));
        Assert.Equal(t, stored);
        Assert.Equal(new LedgerAccount(Alice, book.Account(Alice).Key, 0, 0, 0, 300), book.Account(Alice));
        Assert.Equal(1, book.TransferCount);
    }

    [Fact]
    public void Apply_SameTransferAgain_ExistsAndPostsOnce()
    {
        var book = Create();
        var t = T(1, Genesis, Alice, 300);
        book.ApplyOne(t);

        // A retry from another request carries its own timestamp; it is still the same transfer.
        Assert.Equal([TransferResult.Exists, TransferResult.Exists], book.Apply([t, t with { Timestamp = 99 }]));

        Assert.Equal(300, book.BalanceOf(Alice));
        Assert.Equal(1, book.TransferCount);
    }

    [Fact]
    public void Apply_SameIdInOneBatch_SecondIsExists()
    {
        var book = Create();
        var t = T(1, Genesis, Alice, 300);
        Assert.Equal([TransferResult.Ok, TransferResult.Exists], book.Apply([t, t]));
        Assert.Equal(300, book.BalanceOf(Alice));
    }

    [Fact]
    public void Apply_OtherTransferUnderUsedId_RefusedAndOriginalKept()
    {
        var book = Create();
        book.ApplyOne(T(1, Genesis, Alice, 300));

        Assert.Equal(TransferResult.ExistsWithDifferentFields, book.ApplyOne(T(1, Genesis, Alice, 301)));
        Assert.Equal(TransferResult.ExistsWithDifferentFields, book.ApplyOne(T(1, Genesis, Bob, 300)));
        Assert.Equal(TransferResult.ExistsWithDifferentFields, book.ApplyOne(T(1, Genesis, Alice, 300, code: 2)));

        Assert.Equal(300, book.BalanceOf(Alice));
        Assert.Equal(0, book.BalanceOf(Bob));
        Assert.True(book.TryGetTransfer(new TransferId(1), out var stored));
        Assert.Equal(300, stored.Amount.BaseUnits);
    }

    [Fact]
    public void Apply_FailedTransferRetriedWhenItCanSucceed_IsAppliedThen()
    {
        var book = Create();
        Assert.Equal(TransferResult.InsufficientFunds, book.ApplyOne(T(2, Alice, Bob, 10)));
        book.ApplyOne(T(1, Genesis, Alice, 10));
        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(2, Alice, Bob, 10)));
        Assert.Equal(10, book.BalanceOf(Bob));
    }

    public static TheoryData<Transfer, TransferResult> Malformed => new()
    {
        { T(0, Genesis, Alice, 1), TransferResult.IdMustNotBeZero },
        { T(1, Genesis, Alice, 1, (TransferFlags)16), TransferResult.UnknownFlags },
        { T(1, Genesis, Alice, 1, TransferFlags.Pending | TransferFlags.PostPending, 9), TransferResult.FlagsAreMutuallyExclusive },
        { T(1, Genesis, Alice, 1, TransferFlags.PostPending | TransferFlags.VoidPending, 9), TransferResult.FlagsAreMutuallyExclusive },
        { T(1, Genesis, Alice, 0), TransferResult.AmountMustBePositive },
        { T(1, Genesis, Alice, 0, TransferFlags.Pending), TransferResult.AmountMustBePositive },
        { T(1, Genesis, Genesis, 1), TransferResult.SameAccount },
        { T(1, new AccountId(99), Alice, 1), TransferResult.AccountNotFound },
        { T(1, Genesis, new AccountId(99), 1), TransferResult.AccountNotFound },
        { T(1, Genesis, Alice, 1_001), TransferResult.InsufficientFunds },
        { T(1, Genesis, Alice, 1_001, TransferFlags.Pending), TransferResult.InsufficientFunds },
        { T(1, Genesis, Alice, 1, TransferFlags.PostPending), TransferResult.PendingIdRequired },
        { T(1, Genesis, Alice, 0, TransferFlags.VoidPending), TransferResult.PendingIdRequired },
        { T(1, Genesis, Alice, 1, TransferFlags.None, 9), TransferResult.PendingIdMustBeNull },
        { T(1, Genesis, Alice, 1, TransferFlags.Pending, 9), TransferResult.PendingIdMustBeNull },
        { T(1, Genesis, Alice, 1, TransferFlags.PostPending, 9), TransferResult.PendingNotFound },
        { T(1, Genesis, Alice, 0, TransferFlags.VoidPending, 9), TransferResult.PendingNotFound },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Apply_RefusedTransfer_SaysWhyAndChangesNothing(Transfer transfer, TransferResult expected)
    {
        var book = Create();
        var before = book.Snapshot();

        Assert.Equal(expected, book.ApplyOne(transfer));

        Assert.Equal(before, book.Snapshot());
        Assert.Equal(0, book.TransferCount);
        Assert.False(book.TryGetTransfer(transfer.Id, out _));
    }

    [Fact]
    public void Apply_MoreThanTheBalanceInSeveralSteps_NeverOverdraws()
    {
        var book = Create();
        book.ApplyOne(T(1, Genesis, Alice, 100));
        var results = book.Apply([T(2, Alice, Bob, 60), T(3, Alice, Bob, 60), T(4, Alice, Bob, 40)]);
        Assert.Equal([TransferResult.Ok, TransferResult.InsufficientFunds, TransferResult.Ok], results);
        Assert.Equal(0, book.BalanceOf(Alice));
        Assert.Equal(100, book.BalanceOf(Bob));
    }

    [Fact]
    public void Pending_ReservesFromAvailable_ButNotFromTheBalance()
    {
        var book = Create();
        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(1, Genesis, Alice, 600, TransferFlags.Pending)));

        Assert.Equal(1_000, book.BalanceOf(Genesis));
        Assert.Equal(400, book.AvailableOf(Genesis));
        Assert.Equal(0, book.BalanceOf(Alice));
        Assert.Equal(new LedgerAccount(Genesis, book.Account(Genesis).Key, 600, 0, 0, 1_000), book.Account(Genesis));
        Assert.Equal(new LedgerAccount(Alice, book.Account(Alice).Key, 0, 0, 600, 0), book.Account(Alice));
        Assert.Equal(PendingStatus.Pending, book.PendingStatusOf(new TransferId(1)));
        Assert.Equal(TransferResult.InsufficientFunds, book.ApplyOne(T(2, Genesis, Bob, 401)));
        Assert.Equal(TransferResult.InsufficientFunds, book.ApplyOne(T(3, Genesis, Bob, 401, TransferFlags.Pending)));
        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(4, Genesis, Bob, 400)));
    }

    [Theory]
    [InlineData(250)]
    [InlineData(600)]
    public void PostPending_UpToTheReservedAmount_MovesThePostedAmountAndReturnsTheRest(long posted)
    {
        var book = Create();
        book.ApplyOne(T(1, Genesis, Alice, 600, TransferFlags.Pending));

        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(2, Genesis, Alice, posted, TransferFlags.PostPending, 1)));

        Assert.Equal(1_000 - posted, book.BalanceOf(Genesis));
        Assert.Equal(1_000 - posted, book.AvailableOf(Genesis));
        Assert.Equal(posted, book.BalanceOf(Alice));
        Assert.Equal(0, book.Account(Alice).CreditsPending);
        Assert.Equal(PendingStatus.Posted, book.PendingStatusOf(new TransferId(1)));
        Assert.Equal(PendingStatus.None, book.PendingStatusOf(new TransferId(2)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(600)]
    public void VoidPending_ZeroOrTheReservedAmount_ReturnsEverything(long amount)
    {
        var book = Create();
        book.ApplyOne(T(1, Genesis, Alice, 600, TransferFlags.Pending));

        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(2, Genesis, Alice, amount, TransferFlags.VoidPending, 1)));

        Assert.Equal(1_000, book.AvailableOf(Genesis));
        Assert.Equal(new LedgerAccount(Alice, book.Account(Alice).Key, 0, 0, 0, 0), book.Account(Alice));
        Assert.Equal(PendingStatus.Voided, book.PendingStatusOf(new TransferId(1)));
    }

    public static TheoryData<Transfer, TransferResult> BadResolutions => new()
    {
        { T(9, Genesis, Bob, 100, TransferFlags.PostPending, 1), TransferResult.PendingAccountsMismatch },
        { T(9, Alice, Genesis, 0, TransferFlags.VoidPending, 1), TransferResult.PendingAccountsMismatch },
        { T(9, Genesis, Alice, 0, TransferFlags.PostPending, 1), TransferResult.AmountMustBePositive },
        { T(9, Genesis, Alice, 601, TransferFlags.PostPending, 1), TransferResult.PostExceedsPending },
        { T(9, Genesis, Alice, 1, TransferFlags.VoidPending, 1), TransferResult.VoidAmountMismatch },
        { T(9, Genesis, Alice, 100, TransferFlags.PostPending, 3), TransferResult.PendingNotFound }, // an ordinary transfer
        { T(9, Genesis, Alice, 100, TransferFlags.PostPending, 2), TransferResult.PendingNotFound }, // a post
    };

    [Theory]
    [MemberData(nameof(BadResolutions))]
    public void Resolve_Mismatched_RefusedAndTheReservationStands(Transfer transfer, TransferResult expected)
    {
        var book = Create();
        book.Apply([T(1, Genesis, Alice, 600, TransferFlags.Pending), T(3, Genesis, Alice, 10)]);
        book.Apply([T(4, Genesis, Bob, 10, TransferFlags.Pending), T(2, Genesis, Bob, 10, TransferFlags.PostPending, 4)]);
        var before = book.Snapshot();

        Assert.Equal(expected, book.ApplyOne(transfer));

        Assert.Equal(before, book.Snapshot());
        Assert.Equal(PendingStatus.Pending, book.PendingStatusOf(new TransferId(1)));
    }

    [Fact]
    public void Resolve_AlreadyPostedOrVoided_Refused()
    {
        var book = Create();
        book.Apply([T(1, Genesis, Alice, 100, TransferFlags.Pending), T(2, Genesis, Alice, 100, TransferFlags.Pending)]);
        book.Apply([T(3, Genesis, Alice, 100, TransferFlags.PostPending, 1), T(4, Genesis, Alice, 0, TransferFlags.VoidPending, 2)]);
        var before = book.Snapshot();

        Assert.Equal(TransferResult.PendingAlreadyPosted, book.ApplyOne(T(5, Genesis, Alice, 100, TransferFlags.PostPending, 1)));
        Assert.Equal(TransferResult.PendingAlreadyPosted, book.ApplyOne(T(6, Genesis, Alice, 0, TransferFlags.VoidPending, 1)));
        Assert.Equal(TransferResult.PendingAlreadyVoided, book.ApplyOne(T(7, Genesis, Alice, 100, TransferFlags.PostPending, 2)));
        Assert.Equal(TransferResult.PendingAlreadyVoided, book.ApplyOne(T(8, Genesis, Alice, 0, TransferFlags.VoidPending, 2)));
        Assert.Equal(before, book.Snapshot());
        Assert.Equal(100, book.BalanceOf(Alice));
    }

    [Fact]
    public void Apply_CounterPastLongMax_RefusedAsOverflow()
    {
        // The whole supply going round and round: a balance stays within the supply, the running counters do not.
        var book = Create(TokenAmount.TotalSupplyBaseUnits);
        var all = TokenAmount.TotalSupplyBaseUnits;
        Assert.Equal(
            [TransferResult.Ok, TransferResult.Ok, TransferResult.Ok],
            book.Apply([T(1, Genesis, Alice, all), T(2, Alice, Genesis, all), T(3, Genesis, Alice, all)]));
        var before = book.Snapshot();

        // Genesis has credits of 2 × 4.2e18 already; a third would pass 9.22e18, posted or reserved then posted.
        Assert.Equal(TransferResult.Overflow, book.ApplyOne(T(4, Alice, Genesis, all)));
        Assert.Equal(before, book.Snapshot());
        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(5, Alice, Genesis, all, TransferFlags.Pending)));
        Assert.Equal(TransferResult.Overflow, book.ApplyOne(T(6, Alice, Genesis, all, TransferFlags.PostPending, 5)));
        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(7, Alice, Genesis, 0, TransferFlags.VoidPending, 5)));
        Assert.Equal(TransferResult.Ok, book.ApplyOne(T(8, Alice, Bob, all)));
        Assert.Equal(all, book.BalanceOf(Bob));
        Assert.True(LedgerAudit.Verify(book).Balanced);
    }

    [Fact]
    public void Linked_ChainWithAFailure_NothingAppliedAndTheOthersSayLinkedEventFailed()
    {
        var book = Create();
        var before = book.Snapshot();
        var results = book.Apply(
        [
            T(1, Genesis, Alice, 500, TransferFlags.Linked),
            T(2, Genesis, Alice, 100, TransferFlags.Linked | TransferFlags.Pending),
            T(3, Genesis, Alice, 100, TransferFlags.Linked | TransferFlags.PostPending, 2),
            T(4, Alice, Bob, 601), // Alice has only 600: the chain fails here
            T(5, Genesis, Carol, 10),
        ]);

        Assert.Equal(
            [TransferResult.LinkedEventFailed, TransferResult.LinkedEventFailed, TransferResult.LinkedEventFailed,
             TransferResult.InsufficientFunds, TransferResult.Ok],
            results);
        Assert.Equal(10, book.BalanceOf(Carol));
        Assert.Equal(before.Where(a => a.Id != Carol && a.Id != Genesis), book.Snapshot().Where(a => a.Id != Carol && a.Id != Genesis));
        Assert.Equal(990, book.BalanceOf(Genesis));
        Assert.False(book.TryGetTransfer(new TransferId(1), out _));
        Assert.Equal(PendingStatus.None, book.PendingStatusOf(new TransferId(2)));
        Assert.Equal(1, book.TransferCount);
        Assert.True(LedgerAudit.Verify(book).Balanced);
    }

    [Fact]
    public void Linked_ChainThatSucceeds_AllApplied()
    {
        var book = Create();
        var results = book.Apply(
        [
            T(1, Genesis, Alice, 500, TransferFlags.Linked),
            T(2, Alice, Bob, 500, TransferFlags.Linked | TransferFlags.Pending),
            T(3, Alice, Bob, 200, TransferFlags.PostPending, 2),
        ]);

        Assert.All(results, r => Assert.Equal(TransferResult.Ok, r));
        Assert.Equal(300, book.BalanceOf(Alice));
        Assert.Equal(200, book.BalanceOf(Bob));
    }

    [Fact]
    public void Linked_ChainRetried_ExistsEverywhereAndMovesNothing()
    {
        var book = Create();
        Transfer[] chain = [T(1, Genesis, Alice, 500, TransferFlags.Linked), T(2, Alice, Bob, 500)];
        book.Apply(chain);
        var before = book.Snapshot();

        Assert.Equal([TransferResult.Exists, TransferResult.Exists], book.Apply(chain));
        Assert.Equal(before, book.Snapshot());
    }

    [Fact]
    public void Linked_ChainWithADuplicateIdOfAnotherTransfer_WholeChainRefused()
    {
        var book = Create();
        book.ApplyOne(T(1, Genesis, Alice, 500));
        var results = book.Apply([T(2, Genesis, Bob, 5, TransferFlags.Linked), T(1, Genesis, Carol, 5)]);
        Assert.Equal([TransferResult.LinkedEventFailed, TransferResult.ExistsWithDifferentFields], results);
        Assert.Equal(0, book.BalanceOf(Bob));
    }

    [Fact]
    public void Linked_LastTransferOfTheBatchLinked_ChainOpenAndNothingApplied()
    {
        var book = Create();
        var results = book.Apply(
        [
            T(1, Genesis, Alice, 10),
            T(2, Genesis, Alice, 10, TransferFlags.Linked),
            T(3, Genesis, Bob, 10, TransferFlags.Linked),
        ]);

        Assert.Equal([TransferResult.Ok, TransferResult.LinkedEventFailed, TransferResult.LinkedChainOpen], results);
        Assert.Equal(10, book.BalanceOf(Alice));
        Assert.Equal(0, book.BalanceOf(Bob));
    }

    [Fact]
    public void Apply_SpanOverload_WritesResultsWithoutAllocatingAList()
    {
        var book = Create();
        Span<TransferResult> results = stackalloc TransferResult[2];
        book.Apply([T(1, Genesis, Alice, 10), T(1, Genesis, Alice, 10)], results);
        Assert.Equal(TransferResult.Ok, results[0]);
        Assert.Equal(TransferResult.Exists, results[1]);
        Assert.Throws<ArgumentException>(() => book.Apply([T(2, Genesis, Alice, 10)], []));
    }

    [Fact]
    public void Genesis_Once_CreatesTheSupplyInTheGenesisAccountOnly()
    {
        var book = Create(genesis: null);
        Assert.Equal(TransferResult.InsufficientFunds, book.ApplyOne(T(1, Genesis, Alice, 1)));
        Assert.Equal(TransferResult.AmountMustBePositive, book.Genesis(Genesis, TokenAmount.Zero));
        Assert.Equal(TransferResult.AccountNotFound, book.Genesis(new AccountId(99), TokenAmount.TotalSupply));
        Assert.Equal(TransferResult.NotGenesisAccount, book.Genesis(Treasury, TokenAmount.TotalSupply));
        Assert.Equal(TransferResult.NotGenesisAccount, book.Genesis(Alice, TokenAmount.TotalSupply));
        Assert.Null(book.GenesisAccount);

        Assert.Equal(TransferResult.Ok, book.Genesis(Genesis, TokenAmount.TotalSupply));
        Assert.Equal(TransferResult.GenesisAlreadyDone, book.Genesis(Genesis, TokenAmount.TotalSupply));
        Assert.Equal(TokenAmount.TotalSupply, book.Balance(Genesis));
        Assert.Equal(Genesis, book.GenesisAccount);
        Assert.Equal(TokenAmount.TotalSupply, book.GenesisTotal);
    }

    [Fact]
    public void CreateAccounts_EachOutcome()
    {
        var book = new LedgerBook();
        var treasury = AccountKey.Network(AccountPurpose.Treasury);
        var results = book.CreateAccounts(
        [
            new AccountSpec(new AccountId(1), treasury),
            new AccountSpec(new AccountId(1), treasury),
            new AccountSpec(new AccountId(1), AccountKey.Network(AccountPurpose.Slashed)),
            new AccountSpec(new AccountId(2), treasury),
            new AccountSpec(new AccountId(0), AccountKey.Network(AccountPurpose.Slashed)),
            new AccountSpec(new AccountId(-3), AccountKey.Network(AccountPurpose.Slashed)),
            new AccountSpec(new AccountId(4), default),
        ]);

        Assert.Equal(
            [CreateAccountResult.Ok, CreateAccountResult.Exists, CreateAccountResult.ExistsWithDifferentKey,
             CreateAccountResult.KeyInUse, CreateAccountResult.IdMustBePositive, CreateAccountResult.IdMustBePositive,
             CreateAccountResult.KeyRequired],
            results);
        Assert.Equal(1, book.AccountCount);
        Assert.True(book.TryGetAccountId(treasury, out var id));
        Assert.Equal(new AccountId(1), id);
        Assert.Throws<KeyNotFoundException>(() => book.Account(new AccountId(2)));
    }
}
