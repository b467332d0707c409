using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Geography;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class CheckerAssignmentRulesTests
{
    private static readonly Address HostOperator = Address.Parse("0x" + new string('a', 40));
    private static readonly Address OtherOperator = Address.Parse("0x" + new string('b', 40));

    private static AssignmentCandidate Checker(int id, string country, double lat, double lon, Address? op = null, bool licensed = true, bool connected = true) =>
        new(Address.Parse($"0x{id:x40}"), op ?? OtherOperator, new LocationPoint(lat, lon), CountryCode.Parse(country), licensed, connected);

    // Three German checkers, one French near the border, one in the US and one in Singapore.
    private static readonly AssignmentCandidate[] Mixed =
    [
        Checker(1, "DE", 50.11, 8.68), Checker(2, "DE", 52.52, 13.40), Checker(3, "DE", 48.14, 11.58),
        Checker(4, "FR", 48.57, 7.75), Checker(5, "US", 39.04, -77.49), Checker(6, "SG", 1.35, 103.82),
    ];

    [Fact]
    public void Assign_SameInputs_SameCheckers()
    {
        var a = CheckerAssignmentRules.Assign(Mixed, HostOperator, seed: 42);
        var b = CheckerAssignmentRules.Assign(Mixed.Reverse().ToList(), HostOperator, seed: 42);

        Assert.True(a.Assigned);
        Assert.Equal(a.Chosen, b.Chosen);
    }

    [Fact]
    public void Assign_ManySeeds_AlwaysThreeCountriesFarApart()
    {
        for (ulong seed = 0; seed < 200; seed++)
        {
            var chosen = CheckerAssignmentRules.Assign(Mixed, HostOperator, seed).Chosen;
            Assert.Equal(3, chosen.Select(c => c.Country).Distinct().Count());
            // Frankfurt and Strasbourg are both eligible and in different countries, but 180 km apart: never both.
            Assert.False(chosen.Any(c => c.Country.Value == "FR") && chosen.Any(c => c.Checker == Mixed[0].Checker));
        }
    }

    [Fact]
    public void Assign_DifferentSeeds_EveryCheckerSometimes()
    {
        var picked = Enumerable.Range(0, 100)
            .SelectMany(s => CheckerAssignmentRules.Assign(Mixed, HostOperator, (ulong)s).Chosen)
            .Select(c => c.Checker)
            .ToHashSet();

        // The seed decides who checks, not the host: each of the six is picked under some seed.
        Assert.Equal(Mixed.Length, picked.Count);
    }

    [Fact]
    public void Assign_FewerEligibleThanNeeded_SaysWhichAreMissingAndWhy()
    {
        AssignmentCandidate[] known =
        [
            Checker(1, "DE", 50.11, 8.68), Checker(2, "US", 39.04, -77.49, op: HostOperator),
            Checker(3, "SG", 1.35, 103.82, licensed: false), Checker(4, "JP", 35.68, 139.69, connected: false),
        ];

        var a = CheckerAssignmentRules.Assign(known, HostOperator, seed: 1);

        Assert.False(a.Assigned);
        Assert.Empty(a.Chosen);
        Assert.Equal(1, a.Eligible);
        Assert.Equal(
            [AssignmentExclusionReason.HostsOwnOperator, AssignmentExclusionReason.NotLicensed, AssignmentExclusionReason.NotConnected],
            a.Excluded.Select(e => e.Reason));
        Assert.Equal("needs 3 checkers, 1 eligible; excluded: 0x0000000000000000000000000000000000000002 (run by the host's operator), "
            + "0x0000000000000000000000000000000000000003 (not licensed), 0x0000000000000000000000000000000000000004 (not connected)", a.Shortfall);
    }

    [Fact]
    public void Assign_AllInOneCountry_StillPicksTheFarthest()
    {
        AssignmentCandidate[] known =
        [
            Checker(1, "US", 39.04, -77.49), Checker(2, "US", 38.90, -77.04), Checker(3, "US", 37.77, -122.42), Checker(4, "US", 47.61, -122.33),
        ];

        var a = CheckerAssignmentRules.Assign(known, HostOperator, seed: 7);

        // Ashburn and Washington are 40 km apart: at most one of them, and both west-coast checkers.
        Assert.True(a.Assigned);
        Assert.Contains(a.Chosen, c => c.Checker == known[2].Checker);
        Assert.Contains(a.Chosen, c => c.Checker == known[3].Checker);
    }

    [Fact]
    public void Assign_CheckerListedTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => CheckerAssignmentRules.Assign([Mixed[0], Mixed[0] with { Connected = false }], HostOperator, 1));

    private static readonly Gen<(AssignmentCandidate[] Known, Address Operator, ulong Seed, int N)> ScenarioGen =
        from count in Gen.Choose(0, 12)
        from rows in Gen.ArrayOf(
            from country in Gen.Elements("DE", "FR", "US", "SG", "JP")
            from op in Gen.Choose(0, 3)
            from licensed in Gen.Elements(true, true, true, false)
            select (country, op, licensed), count)
        from seed in Gen.Choose(0, int.MaxValue)
        from n in Gen.Choose(0, 3)
        select (rows.Select((r, i) => new AssignmentCandidate(
            Address.Parse($"0x{i + 1:x40}"), Address.Parse($"0x{r.op + 100:x40}"),
            new LocationPoint(i * 7 % 90, i * 29 % 180), CountryCode.Parse(r.country), r.licensed, true)).ToArray(),
            Address.Parse($"0x{100:x40}"), (ulong)seed, n);

    [Property(MaxTest = 300)]
    public Property Assign_AnyCheckers_NeverHostsOperatorDistinctAndComplete() =>
        Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
        {
            var a = CheckerAssignmentRules.Assign(s.Known, s.Operator, s.Seed, s.N);
            var eligible = s.Known.Count(c => c.Operator != s.Operator && c.Licensed && c.Connected);
            return a.Chosen.All(c => c.Operator != s.Operator && c.Licensed)
                && a.Chosen.Select(c => c.Checker).Distinct().Count() == a.Chosen.Count
                && a.Eligible == eligible
                && a.Assigned == (eligible >= (2 * s.N) + 1)
                && a.Excluded.Count == s.Known.Length - eligible;
        });

    [Property(MaxTest = 200)]
    public Property Assign_CandidatesInAnyOrder_SameCheckers() =>
        Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
            CheckerAssignmentRules.Assign(s.Known, s.Operator, s.Seed, s.N).Chosen
                .SequenceEqual(CheckerAssignmentRules.Assign(s.Known.Reverse().ToList(), s.Operator, s.Seed, s.N).Chosen));

    [Fact]
    public void AssignSecondPanel_OneOtherChecker_SaysTheSmallestSecondPanelItLacks()
    {
        AssignmentCandidate[] known =
        [
            Checker(1, "DE", 50.11, 8.68), Checker(2, "US", 39.04, -77.49), Checker(3, "SG", 1.35, 103.82), Checker(4, "JP", 35.68, 139.69),
        ];

        var a = CheckerAssignmentRules.AssignSecondPanel(known, HostOperator, 1, [.. known.Take(3).Select(c => c.Checker)]);

        // Two would do (both panels together odd), not the full twice-the-first: the operator reads what is missing.
        Assert.False(a.Assigned);
        Assert.StartsWith("needs 2 checkers, 1 eligible; excluded: ", a.Shortfall, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, 3)]
    [InlineData(4, 3)]
    [InlineData(2, 1)]
    public void AssignFirstPanel_FewerFreeThan2NPlus1_TakesTheLargestOddNumberThereAre(int free, int expected)
    {
        var a = CheckerAssignmentRules.AssignFirstPanel(Mixed.Take(free).ToList(), HostOperator, seed: 7);

        Assert.True(a.Assigned);
        Assert.Equal(expected, a.Chosen.Count);
    }
}
