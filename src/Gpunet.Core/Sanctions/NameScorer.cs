using F23.StringSimilarity;

namespace Gpunet.Core.Sanctions;

/// <summary>Scores how alike two names are, whatever order their words are in, and bounds that score cheaply.</summary>
/// <remarks>
/// <para>The score is Jaro-Winkler (F23.StringSimilarity) over normalised names, the better of two word orders:</para>
/// <list type="bullet">
/// <item><b>sorted</b>: both names' words in ordinal order, so <c>KIM, Jong Un</c> and <c>Jong Un Kim</c> are equal;</item>
/// <item><b>aligned</b>: the subject's words rearranged into the listed name's order, each listed word taking the unused
/// subject word most like it (greedy, best pair first), words left over appended. This rescues a typo in a first letter
/// (<c>Bolkov</c> for <c>Volkov</c>), which moves a word when sorting.</item>
/// </list>
/// <para>Both forms compare whole strings, so a missing or extra word still costs what Jaro-Winkler charges for the
/// missing characters: a surname alone does not score like the full name.</para>
/// <para>Jaro-Winkler is Winkler's standard form: Jaro j = (m/|a| + m/|b| + (m−t)/m)/3 over m matching characters and
/// t half-transpositions, from F23.StringSimilarity; when j &gt; 0.7, plus 0.1 × p × (1 − j) for a common prefix of p ≤ 4
/// characters. F23's own <c>JaroWinkler</c> does not cap p at 4 (its scale is min(0.1, 1/length) instead), so a long
/// shared prefix lifts any pair towards 1: <c>karimov ruslan ilyich</c> against <c>karimov rustam ilyich</c> scores
/// 0.99 there (0.96 here). F23
/// is asked for Jaro alone (its boost threshold set to 1, never passed) and the capped prefix bonus added here.</para>
/// </remarks>
internal static class NameScorer
{
    // Winkler (1990): the prefix bonus applies above Jaro 0.7, at 0.1 per shared leading character, for at most 4.
    private const double BoostThreshold = 0.7;
    private const double PrefixScale = 0.1;
    private const int MaxPrefix = 4;

    // F23 counts matches in float; this covers its rounding so a bound never undercuts the score it bounds.
    private const double Slack = 1e-6;

    // A boost threshold of 1 is never exceeded: F23 returns plain Jaro (and 1 for equal strings).
    private static readonly JaroWinkler Jaro = new(1.0);

    /// <summary>Jaro-Winkler similarity of two strings, 0–1, with Winkler's prefix bonus capped at 4 characters.</summary>
    public static double Similarity(string a, string b)
    {
        var jaro = Jaro.Similarity(a, b);
        if (jaro <= BoostThreshold)
            return jaro;
        var prefix = Math.Min(MaxPrefix, a.AsSpan().CommonPrefixLength(b));
        return jaro + (PrefixScale * prefix * (1 - jaro));
    }

    /// <summary>The better of the sorted and the aligned score.</summary>
    public static double Score(NameKey subject, NameKey listed, WordSimilarities words) =>
        Math.Max(Sorted(subject, listed), Aligned(subject, listed, words));

    /// <summary>Jaro-Winkler of the two names with their words sorted.</summary>
    public static double Sorted(NameKey subject, NameKey listed) => Similarity(subject.Sorted, listed.Sorted);

    /// <summary>Jaro-Winkler of the subject's words in the listed name's order against the listed name.</summary>
    /// <param name="words">The subject's word similarities for this screen (built from <paramref name="subject"/>'s tokens).</param>
    public static double Aligned(NameKey subject, NameKey listed, WordSimilarities words) =>
        Similarity(AlignedSubject(subject, listed, words), listed.Joined);

    /// <summary>The subject's words reordered to follow the listed name's words: repeatedly the most similar unpaired
    /// (subject word, listed word) pair is fixed, ties to the earlier listed word then the earlier subject word; each
    /// subject word goes to its listed word's place and unpaired subject words follow in their own order.</summary>
    public static string AlignedSubject(NameKey subject, NameKey listed, WordSimilarities words)
    {
        var s = subject.Tokens;
        var l = listed.Tokens;
        if (s.Length == 1)
            return subject.Joined;
        var sims = new double[l.Length][];
        for (var j = 0; j < l.Length; j++)
            sims[j] = words.To(l[j]);

        Span<int> subjectFor = stackalloc int[l.Length];
        subjectFor.Fill(-1);
        Span<bool> used = stackalloc bool[s.Length];
        for (var round = Math.Min(s.Length, l.Length); round > 0; round--)
        {
            var (bi, bj, best) = (-1, -1, -1.0);
            for (var j = 0; j < l.Length; j++)
            {
                if (subjectFor[j] >= 0)
                    continue;
                for (var i = 0; i < s.Length; i++)
                {
                    if (!used[i] && sims[j][i] > best)
                        (bi, bj, best) = (i, j, sims[j][i]);
                }
            }

            used[bi] = true;
            subjectFor[bj] = bi;
        }

        var ordered = new string[s.Length];
        var n = 0;
        foreach (var i in subjectFor)
        {
            if (i >= 0)
                ordered[n++] = s[i];
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (!used[i])
                ordered[n++] = s[i];
        }

        return string.Join(' ', ordered);
    }

    /// <summary>A number no smaller than F23's Jaro-Winkler of two strings of these lengths that share at most
    /// <paramref name="shared"/> characters and at most <paramref name="prefix"/> leading characters.</summary>
    /// <remarks>Jaro matches only equal characters, so m ≤ min(shared, shorter length); (m−t)/m ≤ 1; hence
    /// j ≤ (m/|a| + m/|b| + 1)/3. At or below 0.7 the score is j itself. Above it the score j + 0.1·p·(1 − j), p ≤ 4, grows
    /// with j (its slope 1 − 0.1·p is positive) and with p, so it is at most the same expression at the bounds of j and p.
    /// A small slack covers F23 counting in float.</remarks>
    public static double UpperBound(int shared, int length1, int length2, int prefix)
    {
        var shorter = Math.Min(length1, length2);
        var m = Math.Min(shared, shorter);
        if (m <= 0)
            return Slack;
        var jaro = Math.Min(1.0, (((double)m / length1) + ((double)m / length2) + 1) / 3);
        if (jaro + Slack <= BoostThreshold)
            return jaro + Slack;
        return jaro + (PrefixScale * Math.Min(MaxPrefix, prefix) * (1 - jaro)) + Slack;
    }

    /// <summary>The sorted forms' common prefix, exactly.</summary>
    public static int SortedPrefix(NameKey subject, NameKey listed) => subject.Sorted.AsSpan().CommonPrefixLength(listed.Sorted);

    /// <summary>At least the common prefix of the aligned subject and the listed name, without aligning: the aligned
    /// form starts with one of the subject's words, so the longest prefix any word shares with the listed name bounds
    /// it, unless a whole word is a prefix, in which case the prefix may run on (the bound is then the cap, 4).</summary>
    public static int AlignedPrefixBound(NameKey subject, NameKey listed)
    {
        var bound = 0;
        foreach (var word in subject.Tokens)
        {
            var shared = word.AsSpan().CommonPrefixLength(listed.Joined);
            if (shared == word.Length)
                return MaxPrefix;
            bound = Math.Max(bound, shared);
        }

        return bound;
    }
}
