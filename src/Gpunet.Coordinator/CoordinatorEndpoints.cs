using System.Net;
using Gpunet.Coordinator.Edge;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gpunet.Coordinator;

/// <summary>The coordinator's two listeners: HTTP/1.1 for people (REST, OpenAPI, metrics, health), and cleartext HTTP/2
/// for agents' gRPC streams; each answers only its own (<see cref="Listener"/>).</summary>
/// <remarks>Kestrel cannot offer both HTTP/1.1 and HTTP/2 on one cleartext port (there is no TLS to negotiate the
/// protocol), so agents get a port of their own; they learn it from <c>GET /api/v1/network</c>.
/// A port of 0 picks a free port; the bound ports are known after start.</remarks>
public sealed class CoordinatorEndpoints
{
    private readonly ListenOptions[] _api;
    private readonly ListenOptions[] _agents;

    internal CoordinatorEndpoints(KestrelServerOptions kestrel, string apiUrls, string agentUrls)
    {
        _api = [.. Parse(apiUrls, "--urls").Select(e => Listen(kestrel, e, HttpProtocols.Http1, Listener.Api))];
        _agents = [.. Parse(agentUrls, "--agent-urls").Select(e => Listen(kestrel, e, HttpProtocols.Http2, Listener.Agents))];
    }

    /// <summary>The first REST URL, with the bound port.</summary>
    public string ApiUrl => Url(_api[0]);

    /// <summary>The first agent (gRPC) URL, with the bound port.</summary>
    public string AgentUrl => Url(_agents[0]);

    /// <summary>The agent URL for the first of <paramref name="apiUrls"/>: same host, next port (or 0 for 0).</summary>
    public static string DefaultAgentUrls(string apiUrls)
    {
        var first = Parse(apiUrls, "--urls")[0];
        if (first.Port == IPEndPoint.MaxPort)
            throw new ArgumentException($"--urls: port {first.Port} leaves no next port for agents; pass --agent-urls");
        return $"http://{Host(first.Address)}:{(first.Port == 0 ? 0 : first.Port + 1)}";
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, IPEndPoint endpoint, HttpProtocols protocols, Listener listener)
    {
        ListenOptions? captured = null;
        kestrel.Listen(endpoint, o =>
        {
            o.Protocols = protocols;
            // Each port serves its own protocol only: the REST API is not reachable on the agent port, nor agents on the API's.
            ListenerSeparation.Mark(o, listener);
            captured = o;
        });
        return captured!;
    }

    private static string Url(ListenOptions o)
    {
        var ep = (IPEndPoint)o.EndPoint;
        var host = ep.Address.Equals(IPAddress.Any) ? "127.0.0.1" : ep.Address.Equals(IPAddress.IPv6Any) ? "[::1]" : Host(ep.Address);
        return $"http://{host}:{ep.Port}";
    }

    private static string Host(IPAddress a) => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString();

    internal static List<IPEndPoint> Parse(string urls, string flag)
    {
        var list = new List<IPEndPoint>();
        foreach (var raw in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(raw.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme != "http")
            {
                throw new ArgumentException($"{flag}: '{raw}' is not an http://HOST:PORT URL (TLS is terminated in front of the coordinator)");
            }

            var address = uri.Host switch
            {
                "localhost" => IPAddress.Loopback,
                _ when IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) => ip,
                _ => throw new ArgumentException($"{flag}: '{uri.Host}' is not an IP address or localhost"),
            };
            list.Add(new IPEndPoint(address, uri.IsDefaultPort && !raw.Contains(":80", StringComparison.Ordinal) ? 80 : uri.Port));
        }

        if (list.Count == 0)
            throw new ArgumentException($"{flag}: at least one URL is required");
        return list;
    }
}
