using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

/// <summary>The prefiltered screener against the brute-force one (every name scored) on random lists and subjects.</summary>
public sealed class SanctionsScreenerDifferentialTests
{
    private static readonly string[] Syllables =
        ["ka", "ri", "mo", "vol", "kov", "al", "ha", "dad", "sa", "mir", "za", "ei", "pak", "chol", "ryong", "tan", "wei",
         "ming", "li", "an", "ov", "a", "e", "zeph", "yr", "trad", "ing", "llc", "co", "bank", "sol"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Screen_PrefilteredAndBruteForce_GiveIdenticalResults(int seed)
    {
        var random = new Random(seed);
        var (fast, brute, names) = Screeners(random);
        var flagged = 0;

        for (var i = 0; i < 300; i++)
        {
            // A third listed names with typos, reordering or a dropped word (scores near the bands), the rest random.
            var name = (i % 3) switch
            {
                0 => Perturb(random, names[random.Next(names.Length)]),
                1 => string.Join(' ', names[random.Next(names.Length)].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).OrderBy(_ => random.Next())),
                _ => RandomName(random),
            };
            var subject = new ScreeningSubject(name, random.Next(2) == 0 ? new DateOnly(1950 + random.Next(40), 1, 1) : null, random.Next(2) == 0 ? "IR" : null);

            var expected = brute.Screen(subject);
            var actual = fast.Screen(subject);

            Assert.Equal(expected.Outcome, actual.Outcome);
            Assert.Equal(expected.Matches, actual.Matches);
            flagged += expected.Matches.Count > 0 ? 1 : 0;
        }

        // The comparison means something only if many subjects land in the review band or above.
        Assert.InRange(flagged, 100, 300);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Screen_ListedNameDisguised_SameResultAsThePlainNameWithAndWithoutPrefilter(int seed)
    {
        var random = new Random(seed);
        var (fast, brute, names) = Screeners(random);

        for (var i = 0; i < 200; i++)
        {
            var plain = names[random.Next(names.Length)];
            var name = i % 2 == 0 ? plain : plain.ToUpperInvariant();
            var subject = new ScreeningSubject(Disguise(random, name), random.Next(2) == 0 ? new DateOnly(1950 + random.Next(40), 1, 1) : null, null);

            var expected = fast.Screen(subject with { Name = plain });
            var actual = fast.Screen(subject);

            Assert.Equal(expected.Outcome, actual.Outcome);
            Assert.Equal(expected.Matches, actual.Matches);
            Assert.Equal(brute.Screen(subject).Matches, actual.Matches);
        }
    }

    [Fact]
    public void UpperBound_NeverBelowTheScore_OnRandomPairs()
    {
        var random = new Random(7);
        Span<byte> a = stackalloc byte[CharacterBag.Size];
        Span<byte> b = stackalloc byte[CharacterBag.Size];
        for (var i = 0; i < 5000; i++)
        {
            var s = new NameKey(RandomName(random));
            var l = new NameKey(i % 2 == 0 ? Perturb(random, s.Joined) : RandomName(random));
            CharacterBag.Fill(s.Joined, a);
            CharacterBag.Fill(l.Joined, b);
            var shared = CharacterBag.Shared(a, b);

            Assert.True(NameScorer.UpperBound(shared, s.Length, l.Length, NameScorer.SortedPrefix(s, l)) >= NameScorer.Sorted(s, l), $"{s.Joined} | {l.Joined}");
            Assert.True(NameScorer.UpperBound(shared, s.Length, l.Length, NameScorer.AlignedPrefixBound(s, l)) >= NameScorer.Aligned(s, l, new WordSimilarities(s.Tokens)), $"{s.Joined} | {l.Joined}");
        }
    }

    // A random list of 400 entries screened with the prefilter and by brute force, and every name on it.
    private static (SanctionsScreener Fast, SanctionsScreener Brute, string[] Names) Screeners(Random random)
    {
        var list = RandomList(random, 400);
        return (new SanctionsScreener(list), new SanctionsScreener(list, null, prefilter: false),
            [.. list.Entries.SelectMany(e => e.Aliases.Prepend(e.PrimaryName))]);
    }

    private static SanctionsList RandomList(Random random, int entries)
    {
        var list = new List<SanctionsEntry>();
        for (var i = 0; i < entries; i++)
        {
            var aliases = Enumerable.Range(0, random.Next(3)).Select(_ => RandomName(random)).ToArray();
            BirthDate[] dobs = random.Next(2) == 0 ? [new BirthDate(1950 + random.Next(40))] : [];
            string[] countries = random.Next(3) == 0 ? ["IR"] : [];
            list.Add(new SanctionsEntry($"{i + 1}", RandomName(random), "individual", aliases, ["SDGT"], dobs, countries));
        }

        return new SanctionsList("sdn-random", list);
    }

    private static string RandomName(Random random) =>
        string.Join(' ', Enumerable.Range(0, 1 + random.Next(3)).Select(_ =>
            string.Concat(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Syllables[random.Next(Syllables.Length)]))));

    // Some letters swapped for their Cyrillic or Greek look-alikes and invisible characters slipped in, as an evader would.
    private static string Disguise(Random random, string name)
    {
        const string Latin = "aeopcxyijsAEOPCXYIJSBHKMT";
        const string LookAlike = "аеорсхуіјѕΑΕΟРСХҮΙЈЅΒΗΚΜΤ";
        string[] invisible = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u202E", "\u00AD"];
        var sb = new System.Text.StringBuilder();
        foreach (var c in name)
        {
            var at = Latin.IndexOf(c, StringComparison.Ordinal);
            sb.Append(at >= 0 && random.Next(2) == 0 ? LookAlike[at] : c);
            if (random.Next(6) == 0)
                sb.Append(invisible[random.Next(invisible.Length)]);
        }

        return sb.ToString();
    }

    private static string Perturb(Random random, string name)
    {
        var chars = name.ToCharArray();
        var pos = random.Next(chars.Length);
        return (chars.Length < 3 ? 1 : random.Next(3)) switch
        {
            0 => new string(chars.Where((_, i) => i != pos).ToArray()),
            1 => name.Insert(pos, "x"),
            _ => new string(chars.Select((c, i) => i == pos ? 'q' : c).ToArray()),
        };
    }
}
