using Gpunet.Core.Gpus;
using Gpunet.Core.Query;

namespace Gpunet.Core.Tests.Query;

public class GpuQueryTests
{
    private static string[] HostsMatching(string query) =>
        [.. Offers.All.Where(GpuQuery.Parse(query).Matches).Select(o => o.HostId)];

    private static string[] Hosts(params GpuOffer[] offers) => [.. offers.Select(o => o.HostId)];

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n ")]
    public void Parse_EmptyOrWhitespace_MatchesEverything(string text)
    {
        var query = GpuQuery.Parse(text);

        Assert.Empty(query.Clauses);
        Assert.All(Offers.All, o => Assert.True(query.Matches(o)));
        Assert.Equal(string.Empty, query.ToString());
    }

    [Fact]
    public void Parse_ReadmeExample_MatchesOnlyTheBerlinH100()
    {
        var query = GpuQuery.Parse("model=H100 vram>=80 count>=8 country in [DE,FR] price<=2.5");

        Assert.Equal(5, query.Clauses.Count);
        Assert.Equal(Hosts(Offers.H100Berlin), Offers.All.Where(query.Matches).Select(o => o.HostId).ToArray());
        Assert.Equal("model=H100 vram>=80 count>=8 country in [DE, FR] price<=2.5", query.ToString());
    }

    [Fact]
    public void Parse_ReadmeExample_ClausesCarryFieldOperatorAndValues()
    {
        var clauses = GpuQuery.Parse("model=H100 vram>=80 count>=8 country in [DE,FR] price<=2.5").Clauses;

        Assert.Equal(
            [GpuQueryField.Model, GpuQueryField.Vram, GpuQueryField.Count, GpuQueryField.Country, GpuQueryField.Price],
            clauses.Select(c => c.Field));
        Assert.Equal(
            [GpuQueryOperator.Equal, GpuQueryOperator.GreaterOrEqual, GpuQueryOperator.GreaterOrEqual,
                GpuQueryOperator.In, GpuQueryOperator.LessOrEqual],
            clauses.Select(c => c.Operator));
        Assert.Equal(["DE", "FR"], clauses[3].Values);
        Assert.Empty(clauses[3].Numbers);
        Assert.Equal([2.5m], clauses[4].Numbers);
    }

    [Theory]
    [InlineData("model=H100")]
    [InlineData("gpu=H100")]
    [InlineData("MODEL=h100")]
    [InlineData("Gpu == h100")]
    public void Parse_ModelFamilyAndAliases_MatchesBothH100s(string text) =>
        Assert.Equal(Hosts(Offers.H100Berlin, Offers.H100Paris), HostsMatching(text));

    [Theory]
    [InlineData("model=H100-SXM5-80GB")]
    [InlineData("model=h100-sxm5-80gb")]
    [InlineData("model='H100-SXM5-80GB'")]
    [InlineData("model=\"H100-SXM5-80GB\"")]
    public void Parse_FullModelName_MatchesThatModelOnly(string text) =>
        Assert.Equal(Hosts(Offers.H100Berlin), HostsMatching(text));

    [Fact]
    public void Matches_ModelNotEqualFamily_ExcludesEveryModelOfTheFamily() =>
        Assert.Equal(Hosts(Offers.A100Amsterdam, Offers.Rtx4090Texas, Offers.H200Berlin), HostsMatching("model!=H100"));

    [Theory]
    [InlineData("vram=80", new[] { "host-0000000000a1", "host-0000000000a2" })]
    [InlineData("vram==40", new[] { "host-0000000000b1" })]
    [InlineData("vram!=80", new[] { "host-0000000000b1", "host-0000000000c1", "host-0000000000d1" })]
    [InlineData("vram<40", new[] { "host-0000000000c1" })]
    [InlineData("vram<=40", new[] { "host-0000000000b1", "host-0000000000c1" })]
    [InlineData("vram>80", new[] { "host-0000000000d1" })]
    [InlineData("vram>=80", new[] { "host-0000000000a1", "host-0000000000a2", "host-0000000000d1" })]
    [InlineData("vram in [24, 141]", new[] { "host-0000000000c1", "host-0000000000d1" })]
    [InlineData("vram notin [24, 141]", new[] { "host-0000000000a1", "host-0000000000a2", "host-0000000000b1" })]
    [InlineData("vram not in [24,141]", new[] { "host-0000000000a1", "host-0000000000a2", "host-0000000000b1" })]
    public void Matches_VramWithEachOperator_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("count>=8", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("num_gpus>=8", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("count=1", new[] { "host-0000000000c1" })]
    [InlineData("count<2", new[] { "host-0000000000c1" })]
    [InlineData("count>4", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("count=8.0", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("count in [2,4]", new[] { "host-0000000000a2", "host-0000000000b1" })]
    public void Matches_Count_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("price<=2.1", new[] { "host-0000000000a2", "host-0000000000b1", "host-0000000000c1" })]
    [InlineData("dph<=2.10", new[] { "host-0000000000a2", "host-0000000000b1", "host-0000000000c1" })]
    [InlineData("price<1.2", new[] { "host-0000000000c1" })]
    [InlineData("price>3", new[] { "host-0000000000d1" })]
    [InlineData("price>=3.8", new[] { "host-0000000000d1" })]
    [InlineData("price=0.35", new[] { "host-0000000000c1" })]
    [InlineData("price!=.35", new[] { "host-0000000000a1", "host-0000000000a2", "host-0000000000b1", "host-0000000000d1" })]
    public void Matches_Price_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("cc>=9", new[] { "host-0000000000a1", "host-0000000000a2", "host-0000000000d1" })]
    [InlineData("compute_cap=8.9", new[] { "host-0000000000c1" })]
    [InlineData("cc<8.9", new[] { "host-0000000000b1" })]
    [InlineData("cc>8", new[] { "host-0000000000a1", "host-0000000000a2", "host-0000000000c1", "host-0000000000d1" })]
    [InlineData("cc notin [9.0]", new[] { "host-0000000000b1", "host-0000000000c1" })]
    public void Matches_ComputeCapability_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("country=DE", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("country=de", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("country!=DE", new[] { "host-0000000000a2", "host-0000000000b1", "host-0000000000c1" })]
    [InlineData("country in [fr, Nl]", new[] { "host-0000000000a2", "host-0000000000b1" })]
    [InlineData("country notin [DE,FR,NL]", new[] { "host-0000000000c1" })]
    [InlineData("country NOT IN ['DE', \"FR\", NL]", new[] { "host-0000000000c1" })]
    public void Matches_Country_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("region=berlin", new[] { "host-0000000000a1", "host-0000000000d1" })]
    [InlineData("region='North Holland'", new[] { "host-0000000000b1" })]
    [InlineData("region = \"north holland\"", new[] { "host-0000000000b1" })]
    [InlineData("region in [Texas, 'Ile-de-France']", new[] { "host-0000000000a2", "host-0000000000c1" })]
    [InlineData("region!=Berlin region!=Texas", new[] { "host-0000000000a2", "host-0000000000b1" })]
    public void Matches_Region_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("host=host-0000000000b1", new[] { "host-0000000000b1" })]
    [InlineData("host in [host-0000000000b1, host-0000000000c1]", new[] { "host-0000000000b1", "host-0000000000c1" })]
    [InlineData("host notin [host-0000000000a1,host-0000000000a2,host-0000000000b1]", new[] { "host-0000000000c1", "host-0000000000d1" })]
    [InlineData("host!=host-0000000000a1 count=8", new[] { "host-0000000000d1" })]
    public void Matches_Host_SelectsExpectedOffers(string text, string[] expected) =>
        Assert.Equal(expected, HostsMatching(text));

    [Theory]
    [InlineData("vram>=80 count>=8")]
    [InlineData("vram >= 80 count >= 8")]
    [InlineData("vram>= 80   count >=8")]
    [InlineData("  vram   >=80\tcount>=8  ")]
    [InlineData("vram>=80 and count>=8")]
    [InlineData("vram>=80 AND count>=8")]
    [InlineData("vram>=80 && count>=8")]
    [InlineData("vram>=80&&count>=8")]
    [InlineData("VRAM>=80 Num_GPUs>=8")]
    public void Parse_SpacingAndJoinerVariants_GiveTheSameQuery(string text)
    {
        var query = GpuQuery.Parse(text);

        Assert.Equal("vram>=80 count>=8", query.ToString());
        Assert.Equal(Hosts(Offers.H100Berlin, Offers.H200Berlin), Offers.All.Where(query.Matches).Select(o => o.HostId).ToArray());
    }

    [Theory]
    [InlineData("gpu == h100", "model=h100")]
    [InlineData("dph<=2.50", "price<=2.50")]
    [InlineData("compute_cap>=8.9", "cc>=8.9")]
    [InlineData("num_gpus>8", "count>8")]
    [InlineData("country in[de ,fr]", "country in [DE, FR]")]
    [InlineData("country not in [de]", "country notin [DE]")]
    [InlineData("region='North Holland'", "region=\"North Holland\"")]
    [InlineData("region='say \"hi\"'", "region='say \"hi\"'")]
    [InlineData("region=\"and\"", "region=\"and\"")]
    [InlineData("host=\"host-1\" && vram<24", "host=host-1 vram<24")]
    [InlineData("vram=080", "vram=80")]
    public void ToString_ParsedQuery_PrintsNormalizedForm(string text, string expected) =>
        Assert.Equal(expected, GpuQuery.Parse(text).ToString());

    [Fact]
    public void Parse_ValueThatLooksLikeKeyword_IsAValue()
    {
        var query = GpuQuery.Parse("region=and vram>=1");

        Assert.Equal(2, query.Clauses.Count);
        Assert.Equal(["and"], query.Clauses[0].Values);
    }

    [Fact]
    public void Parse_KnownModelAndCountryPredicates_AreConsultedAndPass()
    {
        var seenModels = new List<string>();
        var seenCountries = new List<string>();

        var query = GpuQuery.Parse(
            "model in [H100, A100] country=de",
            m => { seenModels.Add(m); return true; },
            c => { seenCountries.Add(c); return true; });

        Assert.Equal(2, query.Clauses.Count);
        Assert.Equal(["H100", "A100"], seenModels);
        Assert.Equal(["DE"], seenCountries);
    }

    [Fact]
    public void Matches_NullOffer_Throws() =>
        Assert.Throws<ArgumentNullException>(() => GpuQuery.Parse("vram>1").Matches(null!));

    [Fact]
    public void Parse_NullText_Throws() =>
        Assert.Throws<ArgumentNullException>(() => GpuQuery.Parse(null!));
}
