using System.Net;

namespace Gpunet.Coordinator.Verification;

/// <summary>Where checkers probe a host: its checkers connect there, so it must be the host itself.</summary>
internal static class ProbeEndpoints
{
    /// <summary>The endpoint to use: the advertised port at the address the agent's stream comes from. Null (with why)
    /// when the advertised one is not an absolute <c>http</c> or <c>https</c> URL with an IP address and a port and
    /// nothing else. Checkers never go where the agent merely says: another address would let a host be measured from a
    /// machine that is not it (or point checkers at someone else's), so a different address is replaced by the one it
    /// connects from (a loopback agent keeps its loopback address).</summary>
    public static string? Accept(string? advertised, IPAddress? connection, out string? refusal)
    {
        refusal = null;
        if (string.IsNullOrEmpty(advertised))
            return null;
        if (advertised.Length > 200 || !Uri.TryCreate(advertised, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.UserInfo) || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.Fragment) || uri.IsDefaultPort
            || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            refusal = "host.probe_endpoint: must be http://IP:PORT (an IP address and a port, nothing else)";
            return null;
        }

        var from = connection?.IsIPv4MappedToIPv6 == true ? connection.MapToIPv4() : connection;
        var named = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (from is null || from.Equals(named) || (IPAddress.IsLoopback(from) && IPAddress.IsLoopback(named)))
            return uri.GetLeftPart(UriPartial.Authority);
        var host = from.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{from}]" : from.ToString();
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
