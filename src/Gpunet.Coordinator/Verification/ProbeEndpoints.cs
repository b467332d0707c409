using System.Net;

namespace Gpunet.Coordinator.Verification;

/// <summary>Which probe endpoint an agent may advertise: its checkers connect there, so it must be the host itself.</summary>
internal static class ProbeEndpoints
{
    /// <summary>The endpoint to use, or null (with why) when the advertised one is not acceptable: not an absolute
    /// <c>http</c> or <c>https</c> URL with an IP address and a port and nothing else, or an address other than the one
    /// the agent connects from (a loopback agent may name any loopback address). Pointing checkers elsewhere would let a
    /// host be measured from a machine that is not it.</summary>
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
        var same = from is not null && (from.Equals(named) || (IPAddress.IsLoopback(from) && IPAddress.IsLoopback(named)));
        if (!same)
        {
            refusal = $"host.probe_endpoint: {named} is not the address this agent connects from ({from?.ToString() ?? "unknown"})";
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }
}
