using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class SanctionsScreenerTests
{
    private static readonly SanctionsScreener Screener = new(SanctionsSamples.List);

    private static ScreeningResult Screen(string name, DateOnly? dob = null, string? country = null) =>
        Screener.Screen(new ScreeningSubject(name, dob, country));

    // The decision and the entry that made it (listed first).
    private static ScreeningMatch Top(ScreeningResult result, ScreeningOutcome outcome, string entryId)
    {
        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(entryId, result.Matches[0].EntryId);
        return result.Matches[0];
    }

    [Fact]
    public void Screen_ExactNameAndDateOfBirth_IsHit()
    {
        var result = Screen("VOLKOV, Dmitri Aleksandrovich", new DateOnly(1971, 3, 14));

        var match = Top(result, ScreeningOutcome.Hit, "90001");
        Assert.Equal(1.0, match.Score, 6);
        Assert.True(match.DateOfBirthConfirmed);
        Assert.Equal(SanctionsSamples.List.Version, result.ListVersion);
    }

    [Fact]
    public void Screen_SurnameFirstOrder_MatchesAsHit()
    {
        var result = Screen("Dmitri Aleksandrovich Volkov", country: "RU");

        var match = Top(result, ScreeningOutcome.Hit, "90001");
        Assert.True(match.CountryConfirmed);
    }

    [Fact]
    public void Screen_TypoInFirstLetterOfReorderedName_StillScoresHigh()
    {
        // Sorted, "bolkov" lands before "dmitri" while "volkov" lands after it; aligning words keeps the pair.
        const string typo = "Dmitri Aleksandrovich Bolkov";
        var match = Top(Screen(typo, new DateOnly(1971, 3, 14)), ScreeningOutcome.Hit, "90001");

        var sortedOnly = NameScorer.Sorted(new NameKey(typo), new NameKey(match.MatchedName));
        Assert.True(sortedOnly < 0.95, $"sorted {sortedOnly}");
        Assert.True(match.Score >= 0.95, $"score {match.Score}");
    }

    [Fact]
    public void Screen_DiacriticsAndCase_AreIgnored()
    {
        var match = Top(Screen("kemal barış öztürk", new DateOnly(1980, 11, 5)), ScreeningOutcome.Hit, "90009");

        Assert.Equal(1.0, match.Score, 6);
    }

    [Theory]
    [InlineData("Vоlkоv, Dmіtrі Аlеksаndrоvісh")] // Cyrillic о, і, А, е, а, с
    [InlineData("VОLKОV, DМІTRІ АLЕKSАNDRОVІСН")] // Cyrillic capitals О, М, І, А, Е, Н, С
    [InlineData("Dmitrі Αleksandrοvich Vοlkον")] // Greek Α, ο, ν; Cyrillic і
    [InlineData("Vol\u200Bkov, Dmi\u200Dtri Aleksand\u200Crovich")] // zero-width space, joiner, non-joiner
    [InlineData("\u202EVolkov\u202C, Dmi\uFEFFtri Alek\u00ADsandrovich")] // direction override, BOM, soft hyphen
    public void Screen_ListedNameDisguisedWithLookAlikesOrInvisibleCharacters_IsTheSameHit(string disguised)
    {
        var plain = Top(Screen("VOLKOV, Dmitri Aleksandrovich", new DateOnly(1971, 3, 14)), ScreeningOutcome.Hit, "90001");

        var match = Top(Screen(disguised, new DateOnly(1971, 3, 14)), ScreeningOutcome.Hit, "90001");

        Assert.Equal(plain.Score, match.Score, 6);
        Assert.Equal(1.0, match.Score, 6);
    }

    [Fact]
    public void Screen_CompanyNameWithCyrillicLookAlikes_IsHit()
    {
        var result = Screen("Zеphyr Mаritimе Trаding LLС", country: "AE"); // Cyrillic е, а, С

        var match = Top(result, ScreeningOutcome.Hit, "90002");
        Assert.Equal(1.0, match.Score, 6);
    }

    [Fact]
    public void Screen_TypoInTheMiddleBand_IsReview()
    {
        var result = Screen("Irena Sokolova", new DateOnly(1974, 8, 17));

        var match = Top(result, ScreeningOutcome.Review, "90021");
        Assert.InRange(match.Score, 0.85, 0.95);
        Assert.StartsWith("possible match", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ExactNameButDateOfBirthContradicts_IsReviewNotHit()
    {
        var result = Screen("Hossein Mirzaei", new DateOnly(1990, 5, 1), "IR");

        var match = Top(result, ScreeningOutcome.Review, "90022");
        Assert.True(match.Score >= 0.95);
        Assert.True(match.DateOfBirthContradicted);
        Assert.False(match.DateOfBirthConfirmed);
        Assert.Contains("date of birth differs", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ExactNameWithNothingToCorroborate_IsReview()
    {
        // The entry has a date of birth and nationality on file; the subject gave neither.
        Assert.Equal(ScreeningOutcome.Review, Screen("Pak Chol Ryong").Outcome);
    }

    [Fact]
    public void Screen_DateOfBirthInListedRangeOrCirca_ConfirmsHit()
    {
        Assert.Equal(ScreeningOutcome.Hit, Screen("Samir Khalil Haddad", new DateOnly(1961, 6, 1)).Outcome);
        Assert.Equal(ScreeningOutcome.Hit, Screen("Farhad Rahimi", new DateOnly(1966, 2, 2)).Outcome);
        Assert.Equal(ScreeningOutcome.Review, Screen("Farhad Rahimi", new DateOnly(1970, 2, 2)).Outcome);
    }

    [Fact]
    public void Screen_UnrelatedName_IsClear()
    {
        var result = Screen("Margaret Ellison", new DateOnly(1985, 4, 2), "GB");

        Assert.Equal(ScreeningOutcome.Clear, result.Outcome);
        Assert.Empty(result.Matches);
        Assert.StartsWith("clear", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_CompanyByNameAndCountry_IsHit()
    {
        var result = Screen("Zephyr Maritime Trading L.L.C.", country: "United Arab Emirates");

        var match = Top(result, ScreeningOutcome.Hit, "90002");
        Assert.True(match.CountryConfirmed);
    }

    [Fact]
    public void Screen_CompanyByNameInAnotherCountry_IsReview()
    {
        Assert.Equal(ScreeningOutcome.Review, Screen("Zephyr Maritime Trading LLC", country: "DE").Outcome);
    }

    [Fact]
    public void Screen_CompanyWithNothingOnFile_IsHitOnNameAlone()
    {
        var match = Top(Screen("Golden Crescent Exchange LLC"), ScreeningOutcome.Hit, "90008");

        Assert.False(match.CountryConfirmed);
    }

    [Fact]
    public void Screen_AliasFromAltFile_HitsTheEntry()
    {
        var result = Screen("Dimitri Volkoff", new DateOnly(1971, 3, 14));

        var match = Top(result, ScreeningOutcome.Hit, "90001");
        Assert.Equal("VOLKOV, Dmitri Aleksandrovich", match.ListedName);
        Assert.Equal("VOLKOFF, Dimitri", match.MatchedName);
        Assert.Contains("as alias 'VOLKOFF, Dimitri'", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_AliasFromRemarks_HitsTheEntry()
    {
        var match = Top(Screen("Zephyr Marine", country: "AE"), ScreeningOutcome.Hit, "90002");

        Assert.Equal("ZEPHYR MARINE", match.MatchedName);
    }

    [Fact]
    public void Screen_Summary_NamesScoreEntryAndWhatAgrees()
    {
        var list = SdnCsvParser.Parse("12345,\"KIM, Jong Un\",\"individual\",\"DPRK\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"DOB 08 Jan 1984\"");

        var summary = new SanctionsScreener(list).Screen(new("Kim Jong Un", new DateOnly(1984, 1, 8))).Summary;

        Assert.Equal("match 1.00 with SDN 12345 'KIM, Jong Un' (date of birth agrees)", summary);
    }

    [Fact]
    public void Screen_SurnameAlone_IsNotAHit()
    {
        // A missing given name costs its characters: "Volkov" alone is at most a review.
        Assert.NotEqual(ScreeningOutcome.Hit, Screen("Volkov", country: "RU").Outcome);
    }

    [Fact]
    public void Screen_ManyCloseEntries_ReturnsAtMostFiveBestFirst()
    {
        var lines = Enumerable.Range(1, 8).Select(i =>
            $"{i},\"SUNRISE TRADING {new string('X', i)}\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-");
        var screener = new SanctionsScreener(SdnCsvParser.Parse(string.Join('\n', lines)));

        var result = screener.Screen(new("Sunrise Trading X"));

        Assert.Equal(5, result.Matches.Count);
        Assert.Equal("1", result.Matches[0].EntryId);
        Assert.Equal(result.Matches.Select(m => m.Score).OrderDescending(), result.Matches.Select(m => m.Score));
    }

    [Fact]
    public void Screen_NameWithoutLettersOrDigits_Throws()
    {
        Assert.Throws<ArgumentException>(() => Screen(" ,.- "));
    }

    [Fact]
    public void Constructor_ReviewAboveHit_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SanctionsScreener(SanctionsList.Empty, new ScreeningThresholds(0.8, 0.9)));
    }
}
