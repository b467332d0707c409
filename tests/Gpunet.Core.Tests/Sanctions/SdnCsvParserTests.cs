using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class SdnCsvParserTests
{
    private const string Nulls = "-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ";

    private static string Sdn(string id, string name, string type, string program, string remarks) =>
        $"{id},{name},{type},{program},{Nulls},{remarks}";

    [Fact]
    public void Parse_QuotedCommasAndDoubledQuotes_KeepsTheNameWhole()
    {
        var list = SdnCsvParser.Parse(Sdn("7", "\"ACME \"\"NORTH\"\", CO., LTD.\"", "-0- ", "\"SDGT\"", "-0-"));

        var entry = Assert.Single(list.Entries);
        Assert.Equal("ACME \"NORTH\", CO., LTD.", entry.PrimaryName);
        Assert.Equal("entity", entry.Type);
    }

    [Fact]
    public void Parse_NullFieldsWithAndWithoutSpaces_AreEmpty()
    {
        var list = SdnCsvParser.Parse("5,\"DOE, John\",\"individual\", -0- ,-0-,-0- , -0- ,-0-,-0-,-0-,-0-, -0- ");

        var entry = Assert.Single(list.Entries);
        Assert.Empty(entry.Programs);
        Assert.Empty(entry.DatesOfBirth);
        Assert.Empty(entry.Countries);
        Assert.Empty(entry.Aliases);
    }

    [Theory]
    [InlineData("\"[SDGT] [IRGC]\"")]
    [InlineData("\"SDGT] [IRGC\"")]
    public void Parse_SeveralPrograms_SplitsOnBrackets(string program)
    {
        var list = SdnCsvParser.Parse(Sdn("1", "\"X, Y\"", "\"individual\"", program, "-0-"));

        Assert.Equal(["SDGT", "IRGC"], list.Entries[0].Programs);
    }

    [Fact]
    public void Parse_Remarks_ExtractsDatesCountriesAndAliases()
    {
        const string remarks = "\"DOB 12 Jan 1960; alt. DOB 1961; alt. DOB Mar 1962; alt. DOB circa 1959; alt. DOB 1955 to 1957; " +
            "POB Tehran, Iran; nationality Iran; citizen Korea, North; Passport A1234 (Iran); a.k.a. 'ABC'; f.k.a. 'O'NEIL, D'; Gender Male.\"";

        var entry = SdnCsvParser.Parse(Sdn("1", "\"X, Y\"", "\"individual\"", "\"IRAN\"", remarks)).Entries[0];

        Assert.Equal(
            [new BirthDate(1960, 1, 12), new BirthDate(1961), new BirthDate(1962, 3), new BirthDate(1959, Circa: true), new BirthDate(1955, ToYear: 1957)],
            entry.DatesOfBirth);
        Assert.Equal(["IR", "KP"], entry.Countries);
        Assert.Equal(["ABC", "O'NEIL, D"], entry.Aliases);
    }

    [Fact]
    public void Parse_PlaceOfBirthCityAndCountry_TakesTheCountry()
    {
        var entry = SdnCsvParser.Parse(Sdn("1", "\"X, Y\"", "\"individual\"", "\"SDGT\"", "\"POB Culiacan, Sinaloa, Mexico; alt. POB Burma\"")).Entries[0];

        Assert.Equal(["MX", "MM"], entry.Countries);
    }

    [Fact]
    public void Parse_VesselFlag_IsACountry()
    {
        var list = SdnCsvParser.Parse("3,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9BZS7\",\"Tanker\",-0- ,\"81479\",\"Iran\",-0- ,-0- ");

        Assert.Equal("vessel", list.Entries[0].Type);
        Assert.Equal(["IR"], list.Entries[0].Countries);
    }

    [Fact]
    public void Parse_AltFile_JoinsAliasesToTheirEntryWithoutRepeats()
    {
        var sdn = Sdn("10", "\"VOLKOV, Dmitri\"", "\"individual\"", "\"RUSSIA-EO14024\"", "\"a.k.a. 'VOLKOV, Dima'\"");
        const string alt = "10,1,\"aka\",\"VOLKOV, Dmitry\",-0- \r\n10,2,\"fka\",\"volkov dima\",-0- \r\n10,3,\"nka\",\"VOLKOV, Dmitri\",-0- \r\n";

        var list = SdnCsvParser.Parse(sdn, alt);

        Assert.Equal(["VOLKOV, Dima", "VOLKOV, Dmitry"], list.Entries[0].Aliases);
        Assert.Equal(3, list.NameCount);
    }

    [Fact]
    public void Parse_EndOfFileMarkerAndBlankLinesAndCrLf_AreIgnored()
    {
        var sdn = Sdn("1", "\"A, B\"", "\"individual\"", "\"SDGT\"", "-0- ") + "\r\n\r\n" +
            Sdn("2", "\"C CORP\"", "-0- ", "\"SDGT\"", "-0- ") + "\r\n\x1A";

        var list = SdnCsvParser.Parse(sdn, "\x1A\r\n");

        Assert.Equal(["1", "2"], list.Entries.Select(e => e.EntryId));
    }

    [Theory]
    [InlineData("1,\"A\",x,y,z", "sdn line 2: expected 12 columns, found 5")]
    [InlineData("x1,\"A\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "sdn line 2: ent_num 'x1' is not a number")]
    [InlineData("1234567890123456789012,\"A\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "sdn line 2: ent_num '1234567890123456789012' is not a number")]
    [InlineData("2,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "sdn line 2: SDN_Name is empty for ent_num 2")]
    [InlineData("1,\"B\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "sdn line 2: ent_num 1 is repeated (first on line 1)")]
    [InlineData("2,\"B,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "sdn line 2: a quoted field is not closed")]
    public void Parse_MalformedSdnLine_ThrowsWithFileAndLine(string secondLine, string message)
    {
        var sdn = "1,\"A\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n" + secondLine + "\n";

        var e = Assert.Throws<SanctionsListException>(() => SdnCsvParser.Parse(sdn));

        Assert.Equal(message, e.Message);
        Assert.Equal("sdn", e.File);
        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("1,2,\"aka\",\"X\"", "alt line 3: expected 5 columns, found 4")]
    [InlineData("one,2,\"aka\",\"X\",-0-", "alt line 3: ent_num 'one' is not a number")]
    [InlineData("9,2,\"aka\",\"X\",-0-", "alt line 3: alias for unknown ent_num 9")]
    [InlineData("1,2,\"aka\", -0- ,-0-", "alt line 3: alt_name is empty for ent_num 1")]
    public void Parse_MalformedAltLine_ThrowsWithFileAndLine(string thirdLine, string message)
    {
        const string sdn = "1,\"A\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n";
        var alt = "1,1,\"aka\",\"Y\",-0-\n\n" + thirdLine + "\n";

        var e = Assert.Throws<SanctionsListException>(() => SdnCsvParser.Parse(sdn, alt));

        Assert.Equal(message, e.Message);
        Assert.Equal("alt", e.File);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Parse_SameFilesTwice_GiveTheSameVersion()
    {
        var a = SdnCsvParser.Parse(SanctionsSamples.Sdn, SanctionsSamples.Alt);
        var b = SdnCsvParser.Parse(SanctionsSamples.Sdn, SanctionsSamples.Alt);

        Assert.Equal(a.Version, b.Version);
        Assert.Matches("^sdn-[0-9a-f]{12}$", a.Version);
    }

    [Fact]
    public void Parse_AnyChangeToEitherFile_ChangesTheVersion()
    {
        var version = SdnCsvParser.Parse(SanctionsSamples.Sdn, SanctionsSamples.Alt).Version;

        Assert.NotEqual(version, SdnCsvParser.Parse(SanctionsSamples.Sdn).Version);
        Assert.NotEqual(version, SdnCsvParser.Parse(SanctionsSamples.Sdn, SanctionsSamples.Alt.Replace("Dmitry", "Dmitrii", StringComparison.Ordinal)).Version);
        Assert.NotEqual(version, SdnCsvParser.Parse(SanctionsSamples.Sdn.Replace("14 Mar 1971", "15 Mar 1971", StringComparison.Ordinal), SanctionsSamples.Alt).Version);
    }

    [Fact]
    public void Empty_HasVersionNoneAndNoNames()
    {
        Assert.Equal("none", SanctionsList.Empty.Version);
        Assert.Equal(0, SanctionsList.Empty.NameCount);
        Assert.Equal(ScreeningOutcome.Clear, new SanctionsScreener(SanctionsList.Empty).Screen(new("Kim Jong Un")).Outcome);
    }
}
