using Docker.DotNet;
using Gpunet.Agent.Workloads;

namespace Gpunet.Cli.Doctor;

/// <summary>Asks the engine at the agent's endpoint (<see cref="DockerRuntime.Endpoint"/>) for its version and runtimes.</summary>
internal sealed class DockerEngineProbe(TimeProvider time) : IDockerProbe
{
    // A local engine answers in milliseconds; one that takes longer is as good as absent for a workload's start.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public async Task<DockerEngineInfo> InspectAsync(CancellationToken ct)
    {
        var runtime = new DockerRuntime(Path.GetTempPath(), time);
        var endpoint = runtime.Endpoint.ToString();
        if (!runtime.IsAvailable(out var reason))
            return new DockerEngineInfo(endpoint, null, [], reason);
        try
        {
            using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
            var info = await client.System.GetSystemInfoAsync(ct).WaitAsync(Bound, time, ct);
            return new DockerEngineInfo(endpoint, info.ServerVersion, [.. (info.Runtimes?.Keys ?? []).Order(StringComparer.Ordinal)], null);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException
            or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            return new DockerEngineInfo(endpoint, null, [], e.Message.ReplaceLineEndings(" ").Trim());
        }
    }
}
