using System.Net.Http.Json;
using System.Net.Sockets;
using Gpunet.Contracts.Network;

namespace Gpunet.Cli.Doctor;

/// <summary>Reads <c>GET /api/v1/network</c> as the agent does at start, then opens a TCP connection to the agents' gRPC
/// port it names, which is the one the agent's stream will use.</summary>
internal sealed class HttpCoordinatorProbe(TimeProvider time) : ICoordinatorProbe
{
    // As long as the agent waits to connect (its channel's ConnectTimeout).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public async Task<CoordinatorAnswer> AskAsync(Uri coordinator, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = coordinator, Timeout = Timeout.InfiniteTimeSpan };
        var sentAt = time.GetUtcNow();
        try
        {
            using var bound = new CancellationTokenSource(Bound, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, bound.Token);
            using var response = await http.GetAsync(new Uri("/api/v1/network", UriKind.Relative), linked.Token);
            var receivedAt = time.GetUtcNow();
            var date = response.Headers.Date;
            if (!response.IsSuccessStatusCode)
                return new CoordinatorAnswer(null, date, sentAt, receivedAt, $"GET /api/v1/network answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var network = await response.Content.ReadFromJsonAsync<NetworkView>(linked.Token);
            if (network is null)
                return new CoordinatorAnswer(null, date, sentAt, receivedAt, "GET /api/v1/network answered nothing");
            return new CoordinatorAnswer(network, date, sentAt, receivedAt, null, await ConnectAsync(network.AgentUrl, ct));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException
            or NotSupportedException && !ct.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"no answer within {Bound.TotalSeconds:0} s" : e.Message;
            return new CoordinatorAnswer(null, null, sentAt, time.GetUtcNow(), why);
        }
    }

    private async Task<string?> ConnectAsync(string agentUrl, CancellationToken ct)
    {
        if (!Uri.TryCreate(agentUrl, UriKind.Absolute, out var url))
            return $"'{agentUrl}' is not a URL";
        try
        {
            using var bound = new CancellationTokenSource(Bound, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, bound.Token);
            using var client = new TcpClient();
            await client.ConnectAsync(url.Host, url.Port, linked.Token);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return e is OperationCanceledException ? $"no connection within {Bound.TotalSeconds:0} s" : e.Message;
        }
    }
}
