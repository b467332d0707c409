using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Gpunet.Coordinator.Edge;

/// <summary>The reverse proxies whose <c>X-Forwarded-For</c> the coordinator believes (<c>--trusted-proxy</c>).</summary>
/// <remarks>ASP.NET Core's forwarded-headers middleware believes everyone when its lists of known proxies and networks
/// are both empty, so with none configured the headers are not read at all.</remarks>
internal sealed class TrustedProxies
{
    /// <summary>Proxies in front of proxies: a chain of the operator's own is short, and a longer header is not walked.</summary>
    public const int MaxHops = 8;

    private TrustedProxies(IReadOnlyList<IPAddress> addresses, IReadOnlyList<System.Net.IPNetwork> networks)
    {
        Addresses = addresses;
        Networks = networks;
    }

    /// <summary>Single proxies.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>Whole networks of proxies.</summary>
    public IReadOnlyList<System.Net.IPNetwork> Networks { get; }

    /// <summary>True when none is configured: every connection's own address is its client.</summary>
    public bool None => Addresses.Count == 0 && Networks.Count == 0;

    /// <summary>Reads addresses (<c>10.0.0.5</c>, <c>::1</c>) and CIDR networks (<c>10.0.0.0/8</c>).</summary>
    /// <exception cref="ArgumentException">An entry is neither, or is a network of every address.</exception>
    public static TrustedProxies Parse(IEnumerable<string> entries)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (!entry.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(entry, out var address))
                addresses.Add(address);
            else if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                // Believing every address is believing every client's header: the hole this setting exists to close.
                if (network.PrefixLength == 0)
                    throw new ArgumentException($"--trusted-proxy: '{entry}' would believe X-Forwarded-For from every address; name your proxies' addresses or network");
                networks.Add(network);
            }
            else
            {
                throw new ArgumentException($"--trusted-proxy: '{entry}' is not an IP address or a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/8)");
            }
        }

        return new TrustedProxies(addresses, networks);
    }

    /// <summary>Configures the forwarded-headers middleware to believe these proxies only.</summary>
    public void Apply(ForwardedHeadersOptions f)
    {
        f.KnownProxies.Clear();
        f.KnownIPNetworks.Clear();
        foreach (var address in Addresses)
            f.KnownProxies.Add(address);
        foreach (var network in Networks)
            f.KnownIPNetworks.Add(network);
        f.ForwardedHeaders = None ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // Walked from the nearest hop: each entry counts only while the hop that wrote it is a trusted proxy, so the
        // client is the first untrusted address from the right and anything it wrote itself further left is ignored.
        f.ForwardLimit = MaxHops;
    }
}
