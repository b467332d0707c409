using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class SanctionsSampleTests
{
    [Fact]
    public void Parse_ShippedSample_GivesEveryEntryAndAlias()
    {
        var list = SanctionsSamples.List;

        Assert.Equal(24, list.Entries.Count);
        Assert.Equal(Enumerable.Range(90001, 24).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), list.Entries.Select(e => e.EntryId));
        // 24 primary names; 10 aliases in alt-sample.csv and 4 in remarks, one of them in both.
        Assert.Equal(24 + 13, list.NameCount);
        Assert.Equal(["individual", "entity", "vessel", "aircraft"], list.Entries.Select(e => e.Type).Distinct());
    }

    [Fact]
    public void Parse_ShippedSample_ReadsRemarksAndVesselFacts()
    {
        var byId = SanctionsSamples.List.Entries.ToDictionary(e => e.EntryId);

        Assert.Equal(["AE"], byId["90002"].Countries);
        Assert.Equal(["IRAN", "SDGT"], byId["90002"].Programs);
        Assert.Equal(["ZEPHYR MARINE", "ZEPHYR SHIPPING FZCO"], byId["90002"].Aliases);
        Assert.Equal("NORTHERN LIGHT SHIPPING CO., LTD.", byId["90005"].PrimaryName);
        Assert.Equal(["KP"], byId["90005"].Countries);
        Assert.Equal(["IR"], byId["90006"].Countries);
        Assert.Equal(["UA", "RU"], byId["90010"].Countries);
        Assert.Equal([new BirthDate(1969, 7)], byId["90010"].DatesOfBirth);
        Assert.Equal([new BirthDate(1977, 4, 23), new BirthDate(1978, 4, 23)], byId["90013"].DatesOfBirth);
        Assert.Equal("BLACK SEA GRAIN HOLDING \"KRASNODAR\"", byId["90014"].PrimaryName);
        Assert.Equal(["IQ"], byId["90015"].Countries);
        Assert.Equal(["SDGT", "IRGC"], byId["90022"].Programs);
        Assert.Equal([new BirthDate(1960, 1, 12), new BirthDate(1961)], byId["90022"].DatesOfBirth);
        Assert.Empty(byId["90017"].Countries);
    }
}
