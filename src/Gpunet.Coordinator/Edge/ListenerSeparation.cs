using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gpunet.Coordinator.Edge;

/// <summary>Keeps the API and the agent protocol on their own listeners (<see cref="Listener"/>).</summary>
internal static class ListenerSeparation
{
    private static readonly object Key = typeof(Listener);

    /// <summary>Marks every connection a Kestrel listener accepts with <paramref name="listener"/>.</summary>
    public static void Mark(ListenOptions options, Listener listener) =>
        options.Use(next => connection =>
        {
            connection.Items[Key] = listener;
            return next(connection);
        });

    /// <summary>The listener a request came in on; null on a connection no coordinator listener accepted (a host that
    /// configured its own).</summary>
    public static Listener? Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Key, out var value) == true ? value as Listener? : null;

    /// <summary>Answers 404 to a request for an endpoint of the other listener, as if it did not exist there.</summary>
    public static IApplicationBuilder UseListenerSeparation(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.GetEndpoint() is { } endpoint && Of(http) is { } listener
                && (endpoint.Metadata.GetMetadata<AgentProtocolEndpoint>() is not null) != (listener == Listener.Agents))
            {
                http.SetEndpoint(null);
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(http);
        });
}
