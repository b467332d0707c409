using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A wallet operation: <c>amount</c> in tokens as a string (<c>"12.5"</c>); <c>id</c>, 32 hex digits chosen by the
/// client, makes a retry safe (the same id twice moves money once); <c>host</c> for stake and unstake; <c>to</c> for an
/// operator's deposit.</summary>
internal sealed record WalletRequest(
    [property: Required, RegularExpression(OpenApiContract.TokenAmountPattern)] string? Amount,
    [property: RegularExpression(OpenApiContract.TransferIdPattern)] string? Id = null,
    [property: RegularExpression(OpenApiContract.HostIdPattern)] string? Host = null,
    [property: RegularExpression(OpenApiContract.AddressPattern)] string? To = null);
