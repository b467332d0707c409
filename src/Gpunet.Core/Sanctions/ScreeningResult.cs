using System.Globalization;

namespace Gpunet.Core.Sanctions;

/// <summary>The decision of one screen, the list version it was made against and the closest entries.</summary>
/// <param name="Outcome">Clear, review or hit.</param>
/// <param name="ListVersion">The <see cref="SanctionsList.Version"/> screened against, for the audit trail.</param>
/// <param name="Matches">At most five entries in the review band or above, the one that decided the outcome first
/// (hits before reviews, then by score, best first).</param>
public sealed record ScreeningResult(ScreeningOutcome Outcome, string ListVersion, IReadOnlyList<ScreeningMatch> Matches)
{
    /// <summary>One line for a person: the outcome and why, e.g.
    /// <c>possible match 0.91 with SDN 12345 'KIM, Jong Un' (date of birth agrees)</c>.</summary>
    public string Summary
    {
        get
        {
            if (Matches.Count == 0)
                return $"clear: no name on list {ListVersion} is close";
            var m = Matches[0];
            var head = Outcome == ScreeningOutcome.Hit ? "match" : "possible match";
            var facts = new List<string>();
            if (!string.Equals(m.MatchedName, m.ListedName, StringComparison.Ordinal))
                facts.Add($"as alias '{m.MatchedName}'");
            if (m.DateOfBirthConfirmed)
                facts.Add("date of birth agrees");
            if (m.DateOfBirthContradicted)
                facts.Add("date of birth differs");
            if (m.CountryConfirmed)
                facts.Add("country agrees");
            var more = Matches.Count > 1 ? $"; {Matches.Count - 1} more" : "";
            var why = facts.Count > 0 ? $" ({string.Join(", ", facts)})" : "";
            return string.Create(CultureInfo.InvariantCulture, $"{head} {m.Score:0.00} with SDN {m.EntryId} '{m.ListedName}'{why}{more}");
        }
    }
}
