using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

/// <summary>A <see cref="LedgerBook"/> addressed by <see cref="AccountKey"/>: accounts are created when first named,
/// funded from genesis, and a plan's transfers are applied with their keys mapped to ids.</summary>
internal sealed class EconomyLedger
{
    private readonly Dictionary<AccountKey, AccountId> _ids = [];
    private readonly AccountId _genesis;
    private ulong _nextFunding;

    public EconomyLedger()
    {
        _genesis = Id(AccountKey.Network(AccountPurpose.Genesis));
        Assert.Equal(TransferResult.Ok, Book.Genesis(_genesis, TokenAmount.TotalSupply));
    }

    public LedgerBook Book { get; } = new();

    public AccountId Id(AccountKey key)
    {
        if (!_ids.TryGetValue(key, out var id))
        {
            id = new AccountId(_ids.Count + 1);
            Assert.Equal(CreateAccountResult.Ok, Book.CreateAccount(new AccountSpec(id, key)));
            _ids.Add(key, id);
        }

        return id;
    }

    /// <summary>Moves <paramref name="amount"/> from genesis to the account (nothing for zero).</summary>
    public void Fund(AccountKey key, TokenAmount amount)
    {
        var id = Id(key);
        if (!amount.IsZero)
            Assert.Equal(TransferResult.Ok, Book.Apply([new Transfer(TransferId.FromParts(1, ++_nextFunding), _genesis, id, amount, 0, TransferFlags.None)])[0]);
    }

    /// <summary>Places a pending hold <paramref name="debit"/> → <paramref name="credit"/> under <paramref name="id"/>.</summary>
    public void Hold(AccountKey debit, AccountKey credit, TransferId id, TokenAmount amount) =>
        Assert.Equal(TransferResult.Ok, Book.Apply([new Transfer(id, Id(debit), Id(credit), amount, (ushort)TransferCode.EscrowHold, TransferFlags.Pending)])[0]);

    public Transfer ToTransfer(PlannedTransfer t) =>
        new(t.Id, Id(t.Debit), Id(t.Credit), t.Amount, (ushort)t.Code, t.Flags, t.PendingId);

    /// <summary>Applies the transfers one by one, in order; one result each.</summary>
    public TransferResult[] Apply(IEnumerable<PlannedTransfer> transfers) =>
        [.. transfers.Select(t => Book.Apply([ToTransfer(t)])[0])];

    public TokenAmount Balance(AccountKey key) => Book.Balance(Id(key));

    public TokenAmount AvailableOf(AccountKey key) => Book.Account(Id(key)).Available;

    /// <summary>Funds every account the inputs say holds money: the pool, vesting, stake, unbonding, reserve escrow,
    /// and places each on-demand lease's open hold (funding the customer for it first).</summary>
    public void FundFor(EpochInputs inputs)
    {
        Fund(AccountKey.Network(AccountPurpose.EmissionPool), inputs.EmissionPoolBalance);
        foreach (var t in inputs.Tranches)
            Fund(AccountKey.Participant(t.Owner, AccountPurpose.Vesting), t.Amount - t.Released);
        foreach (var h in inputs.Hosts)
            Fund(AccountKey.HostStake(h.Host), h.Staked);
        foreach (var u in inputs.Unbonding)
            Fund(AccountKey.Participant(u.Owner, AccountPurpose.Unbonding), u.Amount);
        foreach (var l in inputs.Leases)
        {
            var escrow = AccountKey.LeaseEscrow(l.LeaseId);
            var customer = AccountKey.Participant(l.Customer, AccountPurpose.Available);
            if (l.Reserve)
            {
                Fund(escrow, l.Escrow);
            }
            else if (l.OpenHold is { } hold)
            {
                Fund(customer, l.HoldAmount);
                Hold(customer, escrow, hold, l.HoldAmount);
            }
        }

        foreach (var key in new[] { AccountPurpose.Treasury, AccountPurpose.Slashed })
            Id(AccountKey.Network(key));
    }
}
