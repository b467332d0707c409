using System.Net;
using Gpunet.Cli.Devnet;
using Gpunet.Coordinator.Compliance;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The IP location database the build fetches, read where the build puts it (geoip/ next to the tests).</summary>
public sealed class GeoIpLocatorTests(GeoIpLocatorTests.Database database) : IClassFixture<GeoIpLocatorTests.Database>
{
    private readonly GeoIpLocator _locator = database.Locator;

    public static TheoryData<int> DevnetSites => [.. Enumerable.Range(0, DevnetPlan.SiteCount)];

    [Theory]
    [InlineData("8.8.8.8", "US")] // Google Public DNS
    [InlineData("193.0.6.139", "NL")] // RIPE NCC, Amsterdam
    [InlineData("133.11.0.1", "JP")] // University of Tokyo
    [InlineData("131.111.0.1", "GB")] // University of Cambridge
    public void Lookup_WellKnownIPv4_ResolvesToItsCountry(string address, string country)
    {
        var lookup = _locator.Lookup(IPAddress.Parse(address));

        Assert.Equal(new GeoIpLookup(country, $"{address} is in {country}"), lookup);
    }

    [Theory]
    [InlineData("2001:4860:4860::8888", "US")] // Google Public DNS
    [InlineData("2001:67c:2e8:22::c100:68b", "NL")] // www.ripe.net
    public void Lookup_WellKnownIPv6_ResolvesToItsCountry(string address, string country) =>
        Assert.Equal(country, _locator.Lookup(IPAddress.Parse(address)).Country);

    [Fact]
    public void Lookup_IPv4MappedToIPv6_ResolvesAsTheIPv4Address() =>
        Assert.Equal(new GeoIpLookup("US", "8.8.8.8 is in US"), _locator.Lookup(IPAddress.Parse("::ffff:8.8.8.8")));

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1 is a loopback address")]
    [InlineData("10.1.2.3", "10.1.2.3 is a private address")]
    [InlineData("172.20.0.5", "172.20.0.5 is a private address")]
    [InlineData("192.168.1.10", "192.168.1.10 is a private address")]
    [InlineData("100.64.7.1", "100.64.7.1 is a shared (carrier-grade NAT) address")]
    [InlineData("169.254.169.254", "169.254.169.254 is a link-local address")]
    [InlineData("192.0.2.1", "192.0.2.1 is a documentation address")]
    [InlineData("198.51.100.7", "198.51.100.7 is a documentation address")]
    [InlineData("203.0.113.9", "203.0.113.9 is a documentation address")]
    [InlineData("224.0.0.251", "224.0.0.251 is a multicast address")]
    [InlineData("0.0.0.0", "0.0.0.0 is a reserved address")]
    [InlineData("255.255.255.255", "255.255.255.255 is a reserved address")]
    [InlineData("::1", "::1 is a loopback address")]
    [InlineData("::", ":: is the unspecified address")]
    [InlineData("fe80::1", "fe80::1 is a link-local address")]
    [InlineData("fd12:3456::1", "fd12:3456::1 is a private address")]
    [InlineData("2001:db8::1", "2001:db8::1 is a documentation address")]
    [InlineData("ff02::1", "ff02::1 is a multicast address")]
    public void Lookup_AddressNoPublicHostHas_NoCountryAndSaysWhy(string address, string note) =>
        Assert.Equal(new GeoIpLookup(null, note), _locator.Lookup(IPAddress.Parse(address)));

    [Fact]
    public void Lookup_UnallocatedGlobalAddress_ResolvesToNoCountry() =>
        // 2d00::/8 is global unicast space that IANA has not handed to any registry.
        Assert.Equal(new GeoIpLookup(null, "2d00::1 resolves to no country"), _locator.Lookup(IPAddress.Parse("2d00::1")));

    [Theory]
    [MemberData(nameof(DevnetSites))]
    public void Lookup_DevnetSiteAddress_ResolvesToTheSiteCountry(int i)
    {
        var site = DevnetPlan.Site(i);

        Assert.Equal(site.Country, _locator.Lookup(IPAddress.Parse(site.PublicIp)).Country);
    }

    [Fact]
    public void Lookup_DevnetBlockedSiteAddress_ResolvesToIran()
    {
        Assert.Equal("IR", DevnetPlan.BlockedSite.Country);
        Assert.Equal("IR", _locator.Lookup(IPAddress.Parse(DevnetPlan.BlockedSite.PublicIp)).Country);
    }

    [Fact]
    public void Lookup_ManyThreadsAtOnce_SameAnswers()
    {
        var addresses = Enumerable.Range(0, DevnetPlan.SiteCount).Select(i => DevnetPlan.Site(i)).ToArray();
        var wrong = 0;
        Parallel.For(0, 20_000, n =>
        {
            var site = addresses[n % addresses.Length];
            if (_locator.Lookup(IPAddress.Parse(site.PublicIp)).Country != site.Country)
                Interlocked.Increment(ref wrong);
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void DatabaseVersion_FetchedDatabase_NamesTheDatabaseAndItsBuildDate() =>
        Assert.Matches(@"^geo-whois-asn-country \d{4}-\d{2}-\d{2}$", _locator.DatabaseVersion);

    [Fact]
    public void Open_MissingFile_SaysTheDatabaseDoesNotExist()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gpunet-missing-{Guid.NewGuid():N}.mmdb");

        var e = Assert.Throws<FileNotFoundException>(() => GeoIpLocator.Open(path));

        Assert.Contains($"The IP location database {path} does not exist", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("country_code,start,end\nUS,8.8.8.0,8.8.8.255\n")] // the CSV edition of the database
    [InlineData("")] // a download that never started
    public void Open_FileThatIsNoMmdb_SaysItIsNotADatabase(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gpunet-not-mmdb-{Guid.NewGuid():N}.mmdb");
        File.WriteAllText(path, content);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => GeoIpLocator.Open(path));

            Assert.Contains($"{path} is not an IP location database in MaxMind DB (.mmdb) format", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>One reader for the class, opened where the build copies the database.</summary>
    public sealed class Database : IDisposable
    {
        internal GeoIpLocator Locator { get; } = GeoIpLocator.Open(GeoIpLocator.DefaultPath);

        public void Dispose() => Locator.Dispose();
    }
}
