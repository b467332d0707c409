using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>One line of a wallet's history: <c>amount</c> is signed from the wallet's side (negative when it left one of
/// the wallet's accounts for somewhere else; zero net moves between its own accounts show the amount). <c>reason</c>
/// says why where the ledger keeps it: an SLA credit names its lease and the breach.</summary>
public sealed record HistoryView(
    long Sequence, [property: RegularExpression(ApiPatterns.TransferId)] string Id, DateTimeOffset At, [property: MaxLength(TextLimits.Label)] string Code, [property: RegularExpression(ApiPatterns.AccountName)] string From, [property: RegularExpression(ApiPatterns.AccountName)] string To,
    [property: RegularExpression(ApiPatterns.SignedTokenAmount)] string Amount,
    [property: AllowedValues("in", "out", "internal")] string Direction,
    [property: AllowedValues("held", "posted", "released")] string? Phase,
    [property: MaxLength(TextLimits.Reason)] string? Reason = null);
