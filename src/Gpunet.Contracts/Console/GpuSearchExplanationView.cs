using System.ComponentModel.DataAnnotations;
using System.ComponentModel;

namespace Gpunet.Contracts.Console;

// Why a GPU search found what it found: how many offers there are, how many matched, and which clause left out how many.
public sealed record GpuSearchExplanationView(
    [property: Description("The query, normalised"), MaxLength(TextLimits.Query)] string Query,
    [property: Description("Free GPU offers on Ready hosts before the query")] int Offers,
    int Matched,
    [property: Description("Each clause in the order written; one offer may be left out by several"), MaxLength(Gpunet.Core.Query.GpuQuery.MaxClauses)] IReadOnlyList<ClauseExclusionView> Clauses);

// One clause of a GPU search and how many offers it left out.
public sealed record ClauseExclusionView([property: MaxLength(TextLimits.Query)] string Clause, int Excluded);
