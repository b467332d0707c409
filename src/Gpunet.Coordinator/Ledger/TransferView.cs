using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Economics;

namespace Gpunet.Coordinator.Ledger;

/// <summary>An applied wallet transfer; <c>replayed</c> is true when the id had already moved the money (a retry).</summary>
internal sealed record TransferView(
    [property: RegularExpression(OpenApiContract.TransferIdPattern)] string Id, string Code, string From, string To,
    [property: RegularExpression(OpenApiContract.TokenAmountPattern)] string Amount, bool Replayed)
{
    public static TransferView Of(PlannedTransfer t, bool replayed) =>
        new(t.Id.ToString(), t.Code.Name(), t.Debit.ToString(), t.Credit.ToString(), t.Amount.ToString(), replayed);
}
