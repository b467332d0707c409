using System.Net.Http.Json;
using Gpunet.Contracts.Network;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Where a coordinator sends agents: the bound agent port, or the address configured for agents outside (NAT,
/// a balancer), since an agent elsewhere cannot reach 127.0.0.1.</summary>
public sealed class PublicAgentUrlTests
{
    [Fact]
    public async Task Network_WithAPublicAgentUrl_NamesItToAgents_ElseTheBoundPort()
    {
        await using var plain = await TestCoordinator.StartAsync();
        var bound = await plain.Anonymous.GetFromJsonAsync<NetworkView>("/api/v1/network");
        Assert.StartsWith("http://127.0.0.1:", bound!.AgentUrl, StringComparison.Ordinal);

        await using var behind = await TestCoordinator.StartAsync(configure: o => o.Edge.PublicAgentUrl = "http://agents.example.net:7071");
        var advertised = await behind.Anonymous.GetFromJsonAsync<NetworkView>("/api/v1/network");
        Assert.Equal("http://agents.example.net:7071", advertised!.AgentUrl);
    }
}
