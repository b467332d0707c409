using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>An applied wallet transfer; <c>replayed</c> is true when the id had already moved the money (a retry).</summary>
public sealed record TransferView(
    [property: RegularExpression(ApiPatterns.TransferId)] string Id, [property: MaxLength(TextLimits.Label)] string Code, [property: RegularExpression(ApiPatterns.AccountName)] string From, [property: RegularExpression(ApiPatterns.AccountName)] string To,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Amount, bool Replayed);
