using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

/// <summary>A small ledger: the genesis account (1), three participants (2, 3, 4) and the treasury (5).</summary>
internal static class Books
{
    public static readonly AccountId Genesis = new(1);
    public static readonly AccountId Alice = new(2);
    public static readonly AccountId Bob = new(3);
    public static readonly AccountId Carol = new(4);
    public static readonly AccountId Treasury = new(5);
    public static readonly AccountId[] All = [Genesis, Alice, Bob, Carol, Treasury];

    public static Address Wallet(int n) => Address.Parse("0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The five accounts, with <paramref name="genesis"/> base units created (none: no genesis yet).</summary>
    public static LedgerBook Create(long? genesis = 1_000)
    {
        var book = new LedgerBook();
        var results = book.CreateAccounts(
        [
            new AccountSpec(Genesis, AccountKey.Network(AccountPurpose.Genesis)),
            new AccountSpec(Alice, AccountKey.Participant(Wallet(1), AccountPurpose.Available)),
            new AccountSpec(Bob, AccountKey.Participant(Wallet(2), AccountPurpose.Available)),
            new AccountSpec(Carol, AccountKey.Participant(Wallet(3), AccountPurpose.Staked)),
            new AccountSpec(Treasury, AccountKey.Network(AccountPurpose.Treasury)),
        ]);
        Assert.All(results, r => Assert.Equal(CreateAccountResult.Ok, r));
        if (genesis is { } total)
            Assert.Equal(TransferResult.Ok, book.Genesis(Genesis, TokenAmount.FromBaseUnits(total)));
        return book;
    }

    public static Transfer T(
        ulong id, AccountId debit, AccountId credit, long amount,
        TransferFlags flags = TransferFlags.None, ulong? pending = null, ushort code = 1) =>
        new(new TransferId(id), debit, credit, TokenAmount.FromBaseUnits(amount), code, flags,
            pending is { } p ? new TransferId(p) : null);

    public static TransferResult ApplyOne(this LedgerBook book, Transfer transfer) => book.Apply([transfer])[0];

    public static long BalanceOf(this LedgerBook book, AccountId id) => book.Balance(id).BaseUnits;

    public static long AvailableOf(this LedgerBook book, AccountId id) => book.Account(id).Available.BaseUnits;

    /// <summary>The account's counters: debits pending, debits posted, credits pending, credits posted.</summary>
    public static long[] Counters(this LedgerAccount a) => [a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted];

    /// <summary>Every account, ordered by id, to compare two ledgers or one before and after.</summary>
    public static LedgerAccount[] Snapshot(this LedgerBook book) => [.. book.Accounts.OrderBy(a => a.Id.Value)];
}
