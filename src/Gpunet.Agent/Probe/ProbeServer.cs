using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gpunet.Agent.Probe;

/// <summary>The Kestrel server of the agent's probe endpoint: HTTP/2 cleartext gRPC on its own port, like the
/// coordinator's agent listener.</summary>
/// <remarks>Listens on the loopback interface when the advertised host is a loopback address (a devnet), on every
/// interface otherwise (a public address may be NAT's, not this machine's). Port 0 takes an ephemeral port, so several
/// agents share a machine.</remarks>
internal sealed class ProbeServer : IAsyncDisposable
{
    // Requests are small (an auth, a seed, at most a few thousand row numbers); replies are not limited here.
    private const int MaxRequestBytes = 256 * 1024;

    private readonly WebApplication _app;

    private ProbeServer(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>What checkers dial, <c>http://HOST:PORT</c>: advertised at registration as probe_endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>Starts listening on <paramref name="port"/> and serving <paramref name="service"/>.</summary>
    public static async Task<ProbeServer> StartAsync(HostProbeService service, string advertisedHost, int port, ILoggerFactory? logging,
        CancellationToken ct)
    {
        // Nothing to reload: a watch on the content root is an inotify instance per agent, and a user has 128.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        if (logging is not null)
            builder.Services.AddSingleton(logging);
        var loopback = IPAddress.TryParse(advertisedHost, out var ip) ? IPAddress.IsLoopback(ip) : advertisedHost == "localhost";
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(loopback ? IPAddress.Loopback : IPAddress.Any, port, o => o.Protocols = HttpProtocols.Http2);
        });
        // Checkers' open calls get this long to finish when the agent stops.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = MaxRequestBytes);
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<HostProbeService>();
        await app.StartAsync(ct);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).First();
        var host = advertisedHost.Contains(':', StringComparison.Ordinal) ? $"[{advertisedHost}]" : advertisedHost;
        return new ProbeServer(app, $"http://{host}:{bound.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
