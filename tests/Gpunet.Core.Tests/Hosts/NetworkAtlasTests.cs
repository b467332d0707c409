using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

/// <summary>The console's network page: counts by state, country and model, from aggregates.</summary>
public class NetworkAtlasTests
{
    private static AtlasHost Host(string country, HostState state, string model = "H100-SXM5-80GB", int gpus = 8, int leased = 0,
        decimal price = 2.5m, double lat = 50, double lon = 8) => new(country, lat, lon, state, model, gpus, leased, price);

    [Fact]
    public void Of_Empty_ZerosEveryStateAndNoCountries()
    {
        var atlas = NetworkAtlas.Of([]);

        Assert.Equal(0, atlas.Hosts);
        Assert.All(Enum.GetValues<HostState>(), s => Assert.Equal(0, atlas.HostsByState[s]));
        Assert.Empty(atlas.Countries);
        Assert.Empty(atlas.Models);
        Assert.Equal(0, atlas.Utilisation);
    }

    [Fact]
    public void Of_OfflineHosts_CountedByStateButTheirGpusAreNotCapacity()
    {
        var atlas = NetworkAtlas.Of([Host("DE", HostState.Ready, leased: 2), Host("DE", HostState.Offline, leased: 0)]);

        Assert.Equal(2, atlas.Hosts);
        Assert.Equal(1, atlas.HostsByState[HostState.Offline]);
        Assert.Equal(8, atlas.Gpus);
        Assert.Equal(2, atlas.GpusLeased);
        Assert.Equal(0.25, atlas.Utilisation);
        var de = Assert.Single(atlas.Countries);
        Assert.Equal(2, de.Hosts);
        Assert.Equal(8, de.Gpus);
    }

    [Fact]
    public void Of_CountryPoint_MeanOfItsLocatedHosts_UnknownPositionsLeftOut()
    {
        var atlas = NetworkAtlas.Of([Host("US", HostState.Ready, lat: 40, lon: -100), Host("US", HostState.Ready, lat: 30, lon: -90),
            Host("US", HostState.Ready, lat: 0, lon: 0), Host("SG", HostState.Pending, lat: 0, lon: 0)]);

        var us = atlas.Countries.Single(c => c.Country == "US");
        Assert.Equal(35, us.Latitude);
        Assert.Equal(-95, us.Longitude);
        Assert.Equal(3, us.Hosts);
        var sg = atlas.Countries.Single(c => c.Country == "SG");
        Assert.Null(sg.Latitude);
        Assert.Null(sg.Longitude);
    }

    [Fact]
    public void Of_ModelPrices_OnlyReadyHosts_MedianOfTheMiddleTwo()
    {
        var atlas = NetworkAtlas.Of([
            Host("DE", HostState.Ready, price: 1.0m), Host("FR", HostState.Ready, price: 3.0m), Host("NL", HostState.Ready, price: 2.0m),
            Host("NL", HostState.Ready, price: 4.0m), Host("DE", HostState.Paused, price: 0.1m),
            Host("US", HostState.Suspect, model: "A100-SXM4-40GB", gpus: 4, price: 1.2m)]);

        var h100 = atlas.Models.Single(m => m.Model == "H100-SXM5-80GB");
        Assert.Equal(1.0m, h100.LowestPriceUsdPerGpuHour); // the paused host's 0.1 is not on offer
        Assert.Equal(2.5m, h100.MedianPriceUsdPerGpuHour);
        Assert.Equal(40, h100.Gpus); // the paused host's GPUs are still up
        var a100 = atlas.Models.Single(m => m.Model == "A100-SXM4-40GB");
        Assert.Null(a100.LowestPriceUsdPerGpuHour);
        Assert.Equal(4, a100.Gpus);
        Assert.Equal("H100-SXM5-80GB", atlas.Models[0].Model); // most GPUs first
    }

    [Fact]
    public void Of_LeasedMoreThanTheHostHas_ClampedToItsGpus()
    {
        var atlas = NetworkAtlas.Of([Host("DE", HostState.Ready, gpus: 2, leased: 5)]);

        Assert.Equal(2, atlas.GpusLeased);
        Assert.Equal(1, atlas.Utilisation);
    }

    [Fact]
    public void Of_CountriesByGpusThenCode_ModelsPerCountry()
    {
        var atlas = NetworkAtlas.Of([Host("FR", HostState.Ready, gpus: 2), Host("DE", HostState.Ready, gpus: 2),
            Host("US", HostState.Ready, gpus: 8), Host("US", HostState.Ready, model: "RTX-4090", gpus: 1)]);

        Assert.Equal(["US", "DE", "FR"], atlas.Countries.Select(c => c.Country));
        Assert.Equal(new Dictionary<string, int> { ["H100-SXM5-80GB"] = 8, ["RTX-4090"] = 1 }, atlas.Countries[0].GpusByModel);
    }
}
