using Docker.DotNet;
using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Deploy;

/// <summary>A test that builds the images and starts deploy/compose.yaml: it needs a Docker Engine, docker-compose and
/// the local base images (<c>.ci/install-docker</c> provides all three); skipped, with the reason, where one is missing.</summary>
public sealed class ImagesFactAttribute : FactAttribute
{
    /// <summary>The local stand-ins for the official images, made from Debian's packages by <c>.ci/install-docker</c>.</summary>
    public static readonly string[] BaseImages = ["gpunet-ci/aspnet:10.0", "gpunet-ci/haproxy:2.6", "gpunet-ci/postgres:15"];

    // One look for the whole run.
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public ImagesFactAttribute()
    {
        if (Unavailable.Value is { } reason)
            Skip = reason;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
            return "the image test runs the compose file on Linux (host networking)";
        if (ProgramPath.Find("docker-compose") is null)
            return "docker-compose is not installed (run .ci/install-docker as root)";
        var runtime = new DockerRuntime(Path.GetTempPath(), TimeProvider.System);
        if (!runtime.IsAvailable(out var reason))
            return $"{reason} (run .ci/install-docker as root to start one)";
        try
        {
            using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
            client.System.PingAsync().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            foreach (var image in BaseImages)
            {
                try
                {
                    client.Images.InspectImageAsync(image).WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                }
                catch (DockerImageNotFoundException)
                {
                    return $"no base image {image} in the engine at {runtime.Endpoint} (run .ci/install-docker to build it)";
                }
            }

            return null;
        }
#pragma warning disable CA1031 // whatever stops the ping, the engine is not there to test against
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"no Docker Engine answering at {runtime.Endpoint}: {e.Message}";
        }
    }
}
