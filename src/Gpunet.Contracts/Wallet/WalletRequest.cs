using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>A wallet operation: <c>amount</c> in tokens as a string (<c>"12.5"</c>); <c>id</c>, 32 hex digits chosen by the
/// client, makes a retry safe (the same id twice moves money once); <c>host</c> for stake and unstake; <c>to</c> for an
/// operator's deposit.</summary>
public sealed record WalletRequest(
    [property: Required, RegularExpression(ApiPatterns.TokenAmount)] string? Amount,
    [property: RegularExpression(ApiPatterns.TransferId)] string? Id = null,
    [property: RegularExpression(ApiPatterns.HostId)] string? Host = null,
    [property: RegularExpression(ApiPatterns.Address)] string? To = null);
