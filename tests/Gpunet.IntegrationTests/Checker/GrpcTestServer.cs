using System.Net;
using Gpunet.Contracts.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gpunet.IntegrationTests.Checker;

/// <summary>A gRPC service of the test's own on a loopback port (cleartext HTTP/2), with an HTTP/1.1 port beside it that
/// answers <c>GET /api/v1/network</c> as a coordinator does, naming the gRPC port.</summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _grpc;
    private readonly ListenOptions _rest;

    private GrpcTestServer(WebApplication app, ListenOptions grpc, ListenOptions rest)
    {
        _app = app;
        _grpc = grpc;
        _rest = rest;
    }

    /// <summary>Where the gRPC service answers (bound port).</summary>
    public string GrpcUrl => Url(_grpc);

    /// <summary>Where <c>/api/v1/network</c> answers (bound port).</summary>
    public string RestUrl => Url(_rest);

    /// <summary>Serves <paramref name="service"/> (a subclass of a generated gRPC service base) until disposed.</summary>
    public static async Task<GrpcTestServer> StartAsync<TService>(TService service)
        where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? grpc = null, rest = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => (grpc = o).Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, 0, o => (rest = o).Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        GrpcTestServer? server = null;
        app.MapGet("/api/v1/network", () => Results.Json(new NetworkView("test", "0", 0, new Dictionary<string, int>(), 0, 1, 0, false, null,
            server!.GrpcUrl)));
        await app.StartAsync();
        server = new GrpcTestServer(app, grpc!, rest!);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Url(ListenOptions o) => $"http://127.0.0.1:{((IPEndPoint)o.EndPoint).Port}";
}
