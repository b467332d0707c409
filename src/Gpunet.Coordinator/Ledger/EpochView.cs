using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A settled epoch and what moved in it (amounts in tokens).</summary>
internal sealed record EpochView(long Epoch, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset SettledAt, int Transfers, EpochTotals Totals)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EpochView Of(EpochRecord r) =>
        new(r.Epoch, r.Start, r.End, r.SettledAt, r.Transfers, JsonSerializer.Deserialize<EpochTotals>(r.Totals, Json)!);
}
