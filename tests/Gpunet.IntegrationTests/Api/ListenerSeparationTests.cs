using System.Net;
using System.Net.Http.Headers;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Api;

/// <summary>The agent port speaks only the agent protocol, and the API port only the API.</summary>
public sealed class ListenerSeparationTests : IAsyncLifetime
{
    private TestCoordinator _c = null!;

    public async Task InitializeAsync() => _c = await TestCoordinator.StartAsync();

    public async Task DisposeAsync() => await _c.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/hosts")]
    [InlineData("/api/v1/network")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    public async Task AgentPort_RestOverHttp2_NotFound(string path)
    {
        // The agent port is HTTP/2 without TLS: a client must speak it with prior knowledge.
        using var http = new HttpClient
        {
            BaseAddress = new Uri(_c.AgentUrl),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _c.AdminToken);

        using var onAgentPort = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, onAgentPort.StatusCode);
        Assert.Equal(HttpVersion.Version20, onAgentPort.Version);
        // The same request on the API port answers.
        using var onApiPort = await _c.Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, onApiPort.StatusCode);
    }

    [Fact]
    public async Task ApiPort_AgentStream_Refused()
    {
        using var channel = GrpcChannel.ForAddress(_c.ApiUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        var e = await Record.ExceptionAsync(async () =>
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Address = Wallet.Create().Address.Value, AgentVersion = "test" } });
            await call.ResponseStream.MoveNext();
        });
        // The API port speaks HTTP/1.1 only: the HTTP/2 stream fails at its start (as a gRPC status or a protocol error,
        // depending on which side notices first).
        Assert.True(e is RpcException { StatusCode: not StatusCode.OK } or HttpProtocolException or IOException, $"{e?.GetType().Name}: {e?.Message}");
        Assert.Empty(await _c.HostsAsync());
    }

    [Fact]
    public async Task ApiPort_AgentProtocolPathOverHttp1_NotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/gpunet.v1.AgentLink/Connect") { Content = new ByteArrayContent([0, 0, 0, 0, 0]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var response = await _c.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
