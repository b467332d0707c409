namespace Gpunet.Core.Sanctions;

/// <summary>One listed entry whose name came close to the subject's.</summary>
/// <param name="EntryId">The entry's id on the list (OFAC ent_num).</param>
/// <param name="ListedName">The entry's primary name.</param>
/// <param name="MatchedName">The entry's name that scored best: the primary name or one of its aliases.</param>
/// <param name="Score">Jaro-Winkler similarity of the normalised names, 0–1, the better of two token orders.</param>
/// <param name="DateOfBirthConfirmed">The subject's date of birth agrees with one on file.</param>
/// <param name="CountryConfirmed">The subject's country is among the entry's countries.</param>
/// <param name="DateOfBirthContradicted">Both sides have dates of birth and none agree.</param>
public sealed record ScreeningMatch(
    string EntryId,
    string ListedName,
    string MatchedName,
    double Score,
    bool DateOfBirthConfirmed,
    bool CountryConfirmed,
    bool DateOfBirthContradicted = false);
