using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Gpunet.Agent.Workloads;

/// <summary>The <c>docker</c> runtime: runs a workload as a container through the Docker Engine API, with its GPUs
/// requested from the NVIDIA container runtime and its CPU and memory limits enforced by the engine.</summary>
/// <remarks>Thread-safe. The command is the image followed by the container's command. The image is pulled when
/// missing; the container is labelled <c>gpunet.lease=ID</c>, and removed when the workload is killed or disposed.</remarks>
public sealed class DockerRuntime : IWorkloadRuntime
{
    private const long MiB = 1024 * 1024;
    private readonly string _root;
    private readonly TimeProvider _time;

    /// <param name="root">The agent's work directory; the container's <c>output.log</c> goes to <c>ROOT/leases/LEASE</c>.</param>
    /// <param name="endpoint">The Docker Engine; default <c>DOCKER_HOST</c> if set, else <c>unix:///var/run/docker.sock</c>.</param>
    public DockerRuntime(string root, TimeProvider time, Uri? endpoint = null)
    {
        _root = root;
        _time = time;
        Endpoint = endpoint ?? new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");
    }

    /// <summary>Where the Docker Engine is expected.</summary>
    public Uri Endpoint { get; }

    /// <inheritdoc/>
    public string Name => "docker";

    /// <inheritdoc/>
    /// <remarks>For a Unix socket, whether it exists; a TCP endpoint is taken on trust (a start then says what failed).</remarks>
    public bool IsAvailable(out string reason)
    {
        var ok = Endpoint.Scheme != "unix" || File.Exists(Endpoint.AbsolutePath);
        reason = ok ? "" : $"no Docker Engine at {Endpoint}";
        return ok;
    }

    /// <inheritdoc/>
    public async Task<IRunningWorkload> StartAsync(WorkloadSpec spec, CancellationToken ct)
    {
        spec.Validate();
        if (!IsAvailable(out var reason))
            throw new InvalidOperationException(reason);
        var image = spec.Command[0];
        var dir = spec.CreateWorkingDirectory(_root);
        var client = new DockerClientConfiguration(Endpoint).CreateClient();
        string? id = null;
        try
        {
            await PullIfMissingAsync(client, image, ct);
            var created = await client.Containers.CreateContainerAsync(Parameters(spec), ct);
            id = created.ID;
            if (!await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct))
                throw new InvalidOperationException($"container of image '{image}' did not start");

            // The engine keeps the container's output from its start: following it now loses no line.
            var workload = new DockerWorkload(client, id, dir, _time);
            workload.Follow();
            WorkloadTimeLimit.Arm(workload, spec.MaxRuntime, _time);
            return workload;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            await RemoveQuietlyAsync(client, id);
            client.Dispose();
            throw new InvalidOperationException($"could not start image '{image}': {e.Message}", e);
        }
        catch
        {
            await RemoveQuietlyAsync(client, id);
            client.Dispose();
            throw;
        }
    }

    internal static CreateContainerParameters Parameters(WorkloadSpec spec)
    {
        var host = new HostConfig
        {
            NanoCPUs = spec.CpuMilli * 1_000_000L,
            Memory = spec.MemoryMib * MiB,
        };
        if (spec.GpuIndices.Count > 0)
        {
            host.DeviceRequests =
            [
                new DeviceRequest
                {
                    Driver = "nvidia",
                    DeviceIDs = [.. spec.GpuIndices.Select(i => i.ToString(CultureInfo.InvariantCulture))],
                    Capabilities = [["gpu"]],
                },
            ];
        }

        var parameters = new CreateContainerParameters
        {
            Image = spec.Command[0],
            Cmd = spec.Command.Count > 1 ? [.. spec.Command.Skip(1)] : null,
            Env = [.. (spec.Environment ?? new Dictionary<string, string>()).Concat(spec.AgentEnvironment()).Select(kv => $"{kv.Key}={kv.Value}")],
            Labels = new Dictionary<string, string> { ["gpunet.lease"] = spec.LeaseId },
            HostConfig = host,
        };
        if (spec.Port is { } port)
        {
            var key = $"{port.ToString(CultureInfo.InvariantCulture)}/tcp";
            parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [key] = default };
            host.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [key] = [new PortBinding { HostPort = port.ToString(CultureInfo.InvariantCulture) }],
            };
        }

        return parameters;
    }

    private static async Task PullIfMissingAsync(DockerClient client, string image, CancellationToken ct)
    {
        try
        {
            await client.Images.InspectImageAsync(image, ct);
            return;
        }
        catch (DockerImageNotFoundException)
        {
        }

        // Without a tag the engine would pull every tag of the repository.
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var tagged = lastSegment.Contains(':', StringComparison.Ordinal) || image.Contains('@', StringComparison.Ordinal);
        await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image, Tag = tagged ? null : "latest" },
            null, new Progress<JSONMessage>(), ct);
    }

    internal static async Task RemoveQuietlyAsync(DockerClient client, string? id)
    {
        if (id is null)
            return;
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            // Already gone, or the engine went away: nothing left to free here.
        }
    }
}
