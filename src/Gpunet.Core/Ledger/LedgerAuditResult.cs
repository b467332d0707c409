using System.Text.Json.Serialization;

namespace Gpunet.Core.Ledger;

/// <summary>The verdict of <see cref="LedgerAudit"/>: whether the ledger's invariants hold, and the problems found (the
/// first <see cref="LedgerAudit.MostListed"/>; <paramref name="ProblemsUnlisted"/> counts the rest, null when none).</summary>
/// <param name="Balanced">True when no problem was found.</param>
/// <param name="TotalSupply">The money created at genesis.</param>
/// <param name="SumOfBalances">The sum of all balances; equals <paramref name="TotalSupply"/> in a sound ledger.</param>
public sealed record LedgerAuditResult(
    [property: JsonPropertyName("balanced")] bool Balanced,
    [property: JsonPropertyName("totalSupply")] TokenAmount TotalSupply,
    [property: JsonPropertyName("sumOfBalances")] TokenAmount SumOfBalances,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems,
    [property: JsonPropertyName("problemsUnlisted"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ProblemsUnlisted = null);
