using Docker.DotNet;
using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>A test that needs a Docker Engine; skipped, with the reason, where none answers.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        var runtime = new DockerRuntime(Path.GetTempPath(), TimeProvider.System);
        if (!runtime.IsAvailable(out var reason))
        {
            Skip = reason;
            return;
        }

        try
        {
            using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
            client.System.PingAsync().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // whatever stops the ping, the engine is not there to test against
        catch (Exception e)
#pragma warning restore CA1031
        {
            Skip = $"no Docker Engine answering at {runtime.Endpoint}: {e.Message}";
        }
    }
}
