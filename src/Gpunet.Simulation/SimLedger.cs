using Gpunet.Core.Ledger;

namespace Gpunet.Simulation;

/// <summary>The store's token ledger: the core's <see cref="LedgerBook"/>, with the accounts the run opens and a note of
/// every account a step touched, so the invariants re-check exactly those.</summary>
internal sealed class SimLedger
{
    private readonly HashSet<AccountId> _touched = [];
    private long _nextAccount;

    public SimLedger()
    {
        Genesis = Open(AccountKey.Network(AccountPurpose.Genesis));
        Treasury = Open(AccountKey.Network(AccountPurpose.Treasury));
        Slashed = Open(AccountKey.Network(AccountPurpose.Slashed));
        Book.Genesis(Genesis, TokenAmount.TotalSupply);
    }

    public LedgerBook Book { get; } = new();

    public AccountId Genesis { get; }

    /// <summary>Where the protocol's share of every charge goes.</summary>
    public AccountId Treasury { get; }

    /// <summary>Where slashed stake goes.</summary>
    public AccountId Slashed { get; }

    /// <summary>Accounts changed since the last <see cref="ClearTouched"/>.</summary>
    public IReadOnlyCollection<AccountId> Touched => _touched;

    /// <summary>Transfers applied (not replays of one already applied), by code.</summary>
    public Dictionary<ushort, long> Applied { get; } = [];

    public AccountId Open(AccountKey key)
    {
        var id = new AccountId(++_nextAccount);
        var result = Book.CreateAccount(new AccountSpec(id, key));
        if (result != CreateAccountResult.Ok)
            throw new InvalidOperationException($"the simulation could not open account {key}: {result}");
        _touched.Add(id);
        return id;
    }

    /// <summary>Moves <paramref name="amount"/> (nothing when zero); the same id again is a replay and moves nothing.</summary>
    public TransferResult Move(TransferId id, AccountId from, AccountId to, TokenAmount amount, ushort code, long nowMs)
    {
        if (amount.IsZero)
            return TransferResult.Ok;
        Span<TransferResult> result = stackalloc TransferResult[1];
        Book.Apply([new Transfer(id, from, to, amount, code, TransferFlags.None, null, nowMs)], result);
        if (result[0] == TransferResult.Ok)
        {
            _touched.Add(from);
            _touched.Add(to);
            Applied[code] = Applied.GetValueOrDefault(code) + 1;
        }

        return result[0];
    }

    public TokenAmount Balance(AccountId id) => Book.Balance(id);

    public void ClearTouched() => _touched.Clear();
}
