using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MaxMind.Db;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Places IP addresses in countries with a MaxMind DB file (by default the geo-whois-asn-country
/// database that the build fetches next to the program).</summary>
/// <remarks>Thread-safe: one instance serves every request. The file is memory-mapped, so lookups do no I/O of their
/// own and processes on one machine share its pages. Dispose unmaps it.</remarks>
internal sealed class GeoIpLocator : IDisposable
{
    private readonly Reader _reader;

    private GeoIpLocator(Reader reader, string databaseVersion)
    {
        _reader = reader;
        DatabaseVersion = databaseVersion;
    }

    /// <summary>Where the build puts the database: <c>geoip/geo-whois-asn-country.mmdb</c> next to the program.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "geoip", "geo-whois-asn-country.mmdb");

    /// <summary>The database's name and build date (UTC), e.g. <c>geo-whois-asn-country 2026-06-17</c>, for logs and
    /// for recording which data a geofence decision used.</summary>
    public string DatabaseVersion { get; }

    /// <summary>Opens a MaxMind DB file whose records carry <c>country_code</c>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a MaxMind DB database.</exception>
    public static GeoIpLocator Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException(
                $"The IP location database {full} does not exist; building the coordinator fetches it into geoip/ " +
                "next to the program, or point the coordinator at another MaxMind DB (.mmdb) file.", full);
        }

        Reader reader;
        try
        {
            reader = new Reader(full, FileAccessMode.MemoryMapped);
        }
        catch (InvalidDatabaseException e)
        {
            throw new InvalidDataException($"{full} is not an IP location database in MaxMind DB (.mmdb) format: {e.Message}", e);
        }

        return new GeoIpLocator(reader, VersionOf(reader.Metadata, full));
    }

    /// <summary>The country the database places an address in. Loopback, private, link-local, shared (carrier-grade
    /// NAT), documentation, multicast and other reserved addresses are reported as such without a lookup: they say
    /// nothing about where a host is.</summary>
    public GeoIpLookup Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();

        var text = address.ToString();
        var kind = SpecialKind(address);
        if (kind is not null)
            return new GeoIpLookup(null, $"{text} is {kind} address");

        var record = _reader.Find<Dictionary<string, object>>(address);
        if (record is not null && record.TryGetValue("country_code", out var value) && value is string code && IsCountryCode(code))
        {
            var country = code.ToUpperInvariant();
            return new GeoIpLookup(country, $"{text} is in {country}");
        }

        return new GeoIpLookup(null, $"{text} resolves to no country");
    }

    /// <summary>Whether <paramref name="address"/> could be a host's public address (not loopback, private, shared,
    /// documentation or otherwise reserved).</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return SpecialKind(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) is null;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    // The IANA special-purpose address registries (RFC 6890 and successors), the blocks a public host cannot have,
    // each with its article for the note.
    private static readonly (IPNetwork Network, string Kind)[] SpecialRanges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "a reserved"), // "this network"
        (IPNetwork.Parse("10.0.0.0/8"), "a private"), // RFC 1918
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT)"), // RFC 6598
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved"), // IETF protocol assignments
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation"), // RFC 5737: TEST-NET-1, -2, -3
        (IPNetwork.Parse("192.168.0.0/16"), "a private"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved"), // benchmarking, RFC 2544
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved"), // and the broadcast address
        (IPNetwork.Parse("::/128"), "the unspecified"),
        (IPNetwork.Parse("::1/128"), "a loopback"),
        (IPNetwork.Parse("2001::/23"), "a reserved"), // IETF protocol assignments: Teredo, benchmarking, ORCHID
        (IPNetwork.Parse("2001:db8::/32"), "a documentation"), // RFC 3849
        (IPNetwork.Parse("3fff::/20"), "a documentation"), // RFC 9637
        (IPNetwork.Parse("fc00::/7"), "a private"), // unique local, RFC 4193
        (IPNetwork.Parse("fe80::/10"), "a link-local"),
        (IPNetwork.Parse("ff00::/8"), "a multicast"),
    ];

    // Only 2000::/3 is allocated for global unicast; everything else of IPv6 not named above is reserved.
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static string? SpecialKind(IPAddress address)
    {
        foreach (var (network, kind) in SpecialRanges)
        {
            if (network.Contains(address))
                return kind;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && !GlobalUnicastV6.Contains(address) ? "a reserved" : null;
    }

    private static bool IsCountryCode(string code) => code.Length == 2 && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]);

    // The English description when the file has one, else the file's name; then the build date.
    private static string VersionOf(Metadata metadata, string path)
    {
        var name = metadata.Description.TryGetValue("en", out var description) && !string.IsNullOrWhiteSpace(description)
            ? description
            : Path.GetFileNameWithoutExtension(path);
        return $"{name} {metadata.BuildDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }
}
