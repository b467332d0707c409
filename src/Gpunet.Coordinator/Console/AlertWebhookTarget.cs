using System.Net;
using System.Net.Sockets;
using Gpunet.Core.Identity;

namespace Gpunet.Coordinator.Console;

/// <summary>Where a participant's alert webhook may point, and the connections that hold to it: an https URL whose host
/// resolves, at each connection, to public addresses only (core <see cref="PublicAddresses"/>). A participant must not be
/// able to make the coordinator call its own network (the loopback, the database, a cloud's metadata service), nor
/// get round the check by a name that resolves elsewhere after it was checked (the address connected to is the address
/// checked).</summary>
internal static class AlertWebhookTarget
{
    /// <summary>Why <paramref name="url"/> is refused, or null. <paramref name="allowPrivate"/> (a devnet, the tests)
    /// also takes http and private or loopback hosts.</summary>
    public static string? Refusal(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "an absolute https URL of at most 2048 characters is required";
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivate && uri.Scheme == Uri.UriSchemeHttp))
            return $"'{uri.Scheme}' is not allowed: an https URL is required";
        if (uri.UserInfo.Length > 0)
            return "a URL with a user name or password is not allowed; put a token in its path or query";
        if (!allowPrivate && (uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var ip) && !PublicAddresses.IsPublic(ip))))
            return $"{uri.Host} is not on the public internet";
        return null;
    }

    /// <summary>An HTTP client that connects only to public addresses (unless <paramref name="allowPrivate"/>), follows
    /// no redirect and gives up after <paramref name="timeout"/>.</summary>
    public static HttpClient Client(bool allowPrivate, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.Where(a => allowPrivate || PublicAddresses.IsPublic(a)).ToArray();
            if (allowed.Length == 0)
                throw new HttpRequestException($"{host} resolves to no public address");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        Timeout = timeout,
    };
}
