using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>One line of a wallet's history: <c>amount</c> is signed from the wallet's side (negative when it left one of
/// the wallet's accounts for somewhere else; zero net moves between its own accounts show the amount).</summary>
internal sealed record HistoryView(
    long Sequence, [property: RegularExpression(OpenApiContract.TransferIdPattern)] string Id, DateTimeOffset At, string Code, string From, string To,
    [property: RegularExpression(OpenApiContract.SignedTokenAmountPattern)] string Amount,
    [property: AllowedValues("in", "out", "internal")] string Direction,
    [property: AllowedValues("held", "posted", "released")] string? Phase)
{
    public static HistoryView Of(LedgerHistoryEntry e, HashSet<AccountKey> own)
    {
        var (fromOwn, toOwn) = (own.Contains(e.Debit), own.Contains(e.Credit));
        var direction = fromOwn && toOwn ? "internal" : toOwn ? "in" : "out";
        var phase = (e.Flags & TransferFlags.Pending) != 0 ? "held"
            : (e.Flags & TransferFlags.PostPending) != 0 ? "posted"
            : (e.Flags & TransferFlags.VoidPending) != 0 ? "released"
            : null;
        return new HistoryView(e.Sequence, e.Id.ToString(), e.At, e.Code.Name(), e.Debit.ToString(), e.Credit.ToString(),
            e.Amount.ToString(), direction, phase);
    }
}
