using Docker.DotNet;
using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>A test that needs a Docker Engine with the test image (<c>.ci/start-docker</c> starts one and imports
/// it); skipped, with the reason, where none answers or the image is missing.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    /// <summary>The image the tests run: a static busybox imported without a registry (from Docker Hub's namespace).</summary>
    public const string Image = "gpunet-test/busybox:1";

    // One look at the engine for the whole run: every Docker test asks the same question.
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public DockerFactAttribute()
    {
        if (Unavailable.Value is { } reason)
            Skip = reason;
    }

    private static string? Probe()
    {
        var runtime = new DockerRuntime(Path.GetTempPath(), TimeProvider.System);
        if (!runtime.IsAvailable(out var reason))
            return $"{reason} (run .ci/start-docker as root to start one)";
        try
        {
            using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
            client.System.PingAsync().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            client.Images.InspectImageAsync(Image).WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            return null;
        }
        catch (DockerImageNotFoundException)
        {
            return $"no image {Image} in the engine at {runtime.Endpoint} (run .ci/start-docker to import it)";
        }
#pragma warning disable CA1031 // whatever stops the ping, the engine is not there to test against
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"no Docker Engine answering at {runtime.Endpoint}: {e.Message}";
        }
    }
}
