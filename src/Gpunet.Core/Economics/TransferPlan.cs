using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>The transfers of one settlement being planned, with their deterministic ids and running totals.</summary>
internal sealed class TransferPlan(long epoch, int capacity, HostEarnings earnings)
{
    private readonly Dictionary<TransferCode, ulong> _sequence = [];

    public List<PlannedTransfer> Transfers { get; } = new(capacity);

    /// <summary>What each container earned and gave up so far.</summary>
    public HostEarnings Earnings { get; } = earnings;

    /// <summary>Running sums in base units, by kind.</summary>
    public Sums Totals;

    public struct Sums
    {
        public long HostFees, ProtocolFees, Capacity, Delivery, Checker, Slashed, Refunds, Vesting, Unbonding, Credited;
    }

    /// <summary>Adds a plain transfer of a positive amount; false (and nothing added) for zero.</summary>
    public bool Move(AccountKey debit, AccountKey credit, TokenAmount amount, TransferCode code)
    {
        if (amount.IsZero)
            return false;
        Add(debit, credit, amount, code);
        return true;
    }

    /// <summary>Adds a transfer under the next id of its code: (prefix | epoch, code &lt;&lt; 40 | n), n from 1.</summary>
    public TransferId Add(AccountKey debit, AccountKey credit, TokenAmount amount, TransferCode code,
        TransferFlags flags = TransferFlags.None, TransferId? pendingId = null)
    {
        _sequence.TryGetValue(code, out var n);
        _sequence[code] = ++n;
        var id = TransferId.FromParts(EpochSettlementPlanner.IdPrefix | (ulong)epoch, ((ulong)code << 40) | n);
        Transfers.Add(new PlannedTransfer(id, debit, credit, amount, code, flags, pendingId));
        return id;
    }
}
