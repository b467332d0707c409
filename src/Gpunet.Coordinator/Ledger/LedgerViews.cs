using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The ledger's transfers and settled epochs as the wallet API shows them (the shapes live in
/// <c>Gpunet.Contracts</c>; reading them from the ledger's types is the coordinator's job).</summary>
internal static class LedgerViews
{
    private static readonly JsonSerializerOptions EpochJson = new(JsonSerializerDefaults.Web);

    extension(HistoryView)
    {
        /// <summary>One line of a wallet's history, seen from the wallet that owns <paramref name="own"/>.</summary>
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

    extension(TransferView)
    {
        /// <summary>An applied wallet transfer; <paramref name="replayed"/> when its id had already moved the money.</summary>
        public static TransferView Of(PlannedTransfer t, bool replayed) =>
            new(t.Id.ToString(), t.Code.Name(), t.Debit.ToString(), t.Credit.ToString(), t.Amount.ToString(), replayed);
    }

    extension(EpochView)
    {
        /// <summary>How an epoch's totals are stored (and read back): the web defaults, as the API writes them.</summary>
        public static JsonSerializerOptions Json => EpochJson;

        /// <summary>A settled epoch as stored.</summary>
        public static EpochView Of(EpochRecord r) =>
            new(r.Epoch, r.Start, r.End, r.SettledAt, r.Transfers, JsonSerializer.Deserialize<EpochTotals>(r.Totals, EpochJson)!);
    }
}
