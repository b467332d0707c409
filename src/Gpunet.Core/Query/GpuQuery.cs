using Gpunet.Core.Gpus;

namespace Gpunet.Core.Query;

/// <summary>A parsed GPU search such as <c>model=H100 vram&gt;=80 country in [DE,FR] price&lt;=2.5</c>: every clause must hold.</summary>
public sealed class GpuQuery
{
    /// <summary>Most clauses one query may hold (an explanation lists one entry per clause).</summary>
    public const int MaxClauses = 64;

    private GpuQuery(IReadOnlyList<GpuQueryClause> clauses) => Clauses = clauses;

    /// <summary>The clauses, in the order written; none means every offer matches.</summary>
    public IReadOnlyList<GpuQueryClause> Clauses { get; }

    /// <summary>Parses <paramref name="text"/>, or throws <see cref="GpuQueryException"/> pointing at the bad token.</summary>
    /// <param name="text">The query; empty or whitespace matches everything.</param>
    /// <param name="isKnownModel">When given, a model value it rejects is an error.</param>
    /// <param name="isKnownCountry">When given, a country code (upper-case) it rejects is an error.</param>
    public static GpuQuery Parse(string text, Func<string, bool>? isKnownModel = null, Func<string, bool>? isKnownCountry = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clauses = new GpuQueryParser(text, isKnownModel, isKnownCountry).ParseAll();
        return new GpuQuery(clauses.AsReadOnly());
    }

    /// <summary>Whether <paramref name="offer"/> satisfies every clause.</summary>
    public bool Matches(GpuOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        for (var i = 0; i < Clauses.Count; i++)
        {
            if (!Clauses[i].Matches(offer))
                return false;
        }

        return true;
    }

    /// <summary>Why offers were left out: for each clause, how many of <paramref name="offers"/> it excludes (one offer
    /// may be excluded by several clauses), in the order written. With nothing matching, this says which requirement to
    /// relax.</summary>
    public IReadOnlyList<(GpuQueryClause Clause, int Excluded)> Exclusions(IEnumerable<GpuOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(offers);
        var excluded = new int[Clauses.Count];
        foreach (var offer in offers)
        {
            for (var i = 0; i < Clauses.Count; i++)
            {
                if (!Clauses[i].Matches(offer))
                    excluded[i]++;
            }
        }

        return [.. Clauses.Select((c, i) => (c, excluded[i]))];
    }

    /// <summary>The normalized query: canonical field names and operators, one space between clauses.</summary>
    public override string ToString() => string.Join(' ', Clauses);
}
