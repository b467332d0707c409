namespace Gpunet.Core.Sanctions;

/// <summary>Screens people and organisations against one sanctions list by name, date of birth and country.</summary>
/// <remarks>
/// <para>Names are normalised once at construction (<see cref="NameKey"/>); a screen compares the subject with every
/// primary name and alias and keeps, per entry, the best-scoring name (<see cref="NameScorer"/>).</para>
/// <para>Decision, per entry: score ≥ <see cref="ScreeningThresholds.HitScore"/> and the date of birth or the country
/// agrees, or the entry has neither on file → hit; a date of birth on both sides that disagrees keeps it at review;
/// score ≥ <see cref="ScreeningThresholds.ReviewScore"/> → review; else clear. The screen's outcome is the worst entry's.</para>
/// <para>Before scoring a name, a cheap upper bound (<see cref="NameScorer.UpperBound"/> over shared characters and
/// common prefix) skips names that cannot reach the review band; the bound is proved in its remarks and checked
/// against the brute-force screen in a differential test.</para>
/// <para>Immutable after construction; <see cref="Screen"/> is safe to call from many threads.</para>
/// </remarks>
public sealed class SanctionsScreener
{
    private const int MaxMatches = 5;

    private readonly ScreeningThresholds _thresholds;
    private readonly bool _prefilter;
    private readonly NameKey[] _names;
    private readonly string[] _rawNames;
    private readonly int[] _entryOf;
    private readonly int[] _lengths;
    private readonly byte[] _bags;

    /// <summary>Prepares <paramref name="list"/> for screening with <paramref name="thresholds"/> (default 0.95 / 0.85).</summary>
    public SanctionsScreener(SanctionsList list, ScreeningThresholds? thresholds = null)
        : this(list, thresholds, prefilter: true)
    {
    }

    /// <summary>As the public constructor; <paramref name="prefilter"/> false scores every name (the test oracle).</summary>
    internal SanctionsScreener(SanctionsList list, ScreeningThresholds? thresholds, bool prefilter)
    {
        ArgumentNullException.ThrowIfNull(list);
        _thresholds = thresholds ?? ScreeningThresholds.Default;
        _thresholds.Validate();
        _prefilter = prefilter;
        List = list;
        var names = new List<NameKey>(list.NameCount);
        var raw = new List<string>(list.NameCount);
        var entryOf = new List<int>(list.NameCount);
        for (var e = 0; e < list.Entries.Count; e++)
        {
            var entry = list.Entries[e];
            foreach (var name in entry.Aliases.Prepend(entry.PrimaryName))
            {
                var key = new NameKey(name);
                if (key.Length == 0)
                    continue; // nothing left to compare ("---")
                names.Add(key);
                raw.Add(name);
                entryOf.Add(e);
            }
        }

        _names = [.. names];
        _rawNames = [.. raw];
        _entryOf = [.. entryOf];
        _lengths = [.. names.Select(n => n.Length)];
        _bags = new byte[_names.Length * CharacterBag.Size];
        for (var i = 0; i < _names.Length; i++)
            CharacterBag.Fill(_names[i].Joined, _bags.AsSpan(i * CharacterBag.Size, CharacterBag.Size));
    }

    /// <summary>The list this screener screens against.</summary>
    public SanctionsList List { get; }

    /// <summary>The scores that make a hit and a review.</summary>
    public ScreeningThresholds Thresholds => _thresholds;

    /// <summary>Screens <paramref name="subject"/> against every name on the list.</summary>
    /// <exception cref="ArgumentException">The subject's name has no letters or digits.</exception>
    public ScreeningResult Screen(ScreeningSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = new NameKey(subject.Name ?? "");
        if (key.Length == 0)
            throw new ArgumentException("the subject's name has no letters or digits to screen", nameof(subject));
        Span<byte> bag = stackalloc byte[CharacterBag.Size];
        CharacterBag.Fill(key.Joined, bag);

        var words = new WordSimilarities(key.Tokens);
        var review = _thresholds.ReviewScore;
        var found = new List<(int Entry, int Name, double Score)>();
        for (var i = 0; i < _names.Length; i++)
        {
            var score = _prefilter ? Bounded(key, bag, words, i, review) : NameScorer.Score(key, _names[i], words);
            if (score < review)
                continue;
            // An entry's names are consecutive: keep its best (the first of equals).
            if (found.Count > 0 && found[^1].Entry == _entryOf[i])
            {
                if (score > found[^1].Score)
                    found[^1] = (_entryOf[i], i, score);
            }
            else
            {
                found.Add((_entryOf[i], i, score));
            }
        }

        var country = SanctionsCountries.Resolve(subject.Country);
        var judged = found
            .Select(f => Judge(subject, country, f.Entry, f.Name, f.Score))
            .OrderByDescending(j => j.Outcome)
            .ThenByDescending(j => j.Match.Score)
            .ThenBy(j => j.Entry)
            .ToList();
        var outcome = judged.Count == 0 ? ScreeningOutcome.Clear : judged[0].Outcome;
        return new ScreeningResult(outcome, List.Version, [.. judged.Take(MaxMatches).Select(j => j.Match)]);
    }

    // The score of name i, or anything below review when its bound shows it cannot reach review. Each form is skipped
    // only when its bound is below review or below the other form's score: either way the max, where it matters, is
    // what the brute-force NameScorer.Score gives.
    private double Bounded(NameKey key, ReadOnlySpan<byte> bag, WordSimilarities words, int i, double review)
    {
        var length = _lengths[i];
        var shared = key.Length <= CharacterBag.MaxLength && length <= CharacterBag.MaxLength
            ? CharacterBag.Shared(bag, _bags.AsSpan(i * CharacterBag.Size, CharacterBag.Size))
            : int.MaxValue;
        // Most names fail even with the longest prefix the bonus counts; only the rest pay for the prefixes.
        if (NameScorer.UpperBound(shared, key.Length, length, int.MaxValue) < review)
            return double.MinValue;
        var listed = _names[i];
        var score = double.MinValue;
        if (NameScorer.UpperBound(shared, key.Length, listed.Length, NameScorer.SortedPrefix(key, listed)) >= review)
            score = NameScorer.Sorted(key, listed);
        if (NameScorer.UpperBound(shared, key.Length, length, NameScorer.AlignedPrefixBound(key, listed)) < review)
            return score;
        // Aligning is cheap (word similarities are remembered per screen); the aligned string's exact prefix then
        // often shows the full comparison cannot reach review or beat the sorted score.
        var aligned = NameScorer.AlignedSubject(key, listed, words);
        var alignedBound = NameScorer.UpperBound(shared, key.Length, length, aligned.AsSpan().CommonPrefixLength(listed.Joined));
        if (alignedBound >= review && alignedBound > score)
            score = Math.Max(score, NameScorer.Similarity(aligned, listed.Joined));
        return score;
    }

    private (ScreeningOutcome Outcome, int Entry, ScreeningMatch Match) Judge(
        ScreeningSubject subject, string? country, int e, int name, double score)
    {
        var entry = List.Entries[e];
        var dobConfirmed = subject.DateOfBirth is { } dob && entry.DatesOfBirth.Any(d => d.Matches(dob));
        var dobContradicted = subject.DateOfBirth is not null && entry.DatesOfBirth.Count > 0 && !dobConfirmed;
        var countryConfirmed = country is not null && entry.Countries.Contains(country);
        var nothingOnFile = entry.DatesOfBirth.Count == 0 && entry.Countries.Count == 0;
        var outcome = score >= _thresholds.HitScore && !dobContradicted && (dobConfirmed || countryConfirmed || nothingOnFile)
            ? ScreeningOutcome.Hit
            : ScreeningOutcome.Review;
        var match = new ScreeningMatch(entry.EntryId, entry.PrimaryName, _rawNames[name], score, dobConfirmed, countryConfirmed, dobContradicted);
        return (outcome, e, match);
    }
}
