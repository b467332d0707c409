using System.Globalization;
using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Gpunet.Agent.Workloads;

/// <summary>The <c>docker</c> runtime: runs a workload as a container through the Docker Engine API, with its GPUs
/// requested from the NVIDIA container runtime and its CPU, memory and process limits enforced by the engine.</summary>
/// <remarks>Thread-safe. The command is the image followed by the container's command. Only images from the
/// operator's registries (<see cref="DockerRuntimeOptions"/>) run; they are pulled when missing. The container runs
/// with every capability dropped, no privilege escalation and no mount of the host. Without a service port it has no
/// network; with one (the order's port, or for a session or service without one the host port itself), it joins the
/// <c>gpunet</c> bridge network and its port is published on a host port the agent takes from its lease ports
/// (<see cref="LeasePortPool"/>), announced as the lease's first log line; <c>GPUNET_PORT</c> names the port inside.
/// The container is labelled <c>gpunet.lease=ID</c> and <c>gpunet.agent=WORK</c>, and removed when the workload ends,
/// is killed or is disposed; those an earlier run of the agent left behind (killed, or the machine restarted) are
/// removed before its first container starts.</remarks>
public sealed class DockerRuntime : IWorkloadRuntime
{
    /// <summary>The network a container with a service port joins: a bridge the agent creates when missing.</summary>
    /// <remarks>A user-defined bridge, since the engine may run without its default one (<c>--bridge=none</c>);
    /// publishing then goes through the engine's userland proxy and needs no iptables. Containers on it cannot reach
    /// each other where the engine manages iptables (<c>enable_icc=false</c>).</remarks>
    public const string ServiceNetwork = "gpunet";

    private const long MiB = 1024 * 1024;

    // A host port can be taken by something outside the agent; the next ones in the range are tried.
    private const int PublishAttempts = 8;

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly DockerRuntimeOptions _options;
    private readonly HashSet<string> _registries;
    private readonly LeasePortPool _ports;
    private readonly Lock _lock = new();
    private Task? _serviceNetwork;
    private Task? _leftovers;

    /// <param name="root">The agent's work directory; the container's <c>output.log</c> goes to <c>ROOT/leases/LEASE</c>.</param>
    /// <param name="endpoint">The Docker Engine; default <c>DOCKER_HOST</c> if set, else <c>unix:///var/run/docker.sock</c>.</param>
    /// <param name="options">Registries, digests and host ports; default <see cref="DockerRuntimeOptions"/>.</param>
    /// <exception cref="ArgumentException">A registry in <paramref name="options"/> is not <c>HOST[:PORT]</c>.</exception>
    public DockerRuntime(string root, TimeProvider time, Uri? endpoint = null, DockerRuntimeOptions? options = null)
    {
        _root = root;
        _time = time;
        _options = options ?? new DockerRuntimeOptions();
        Endpoint = endpoint ?? new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");
        foreach (var registry in _options.Registries)
        {
            if (!DockerImageReference.IsRegistryName(registry))
                throw new ArgumentException($"docker registry '{registry}' is not HOST or HOST:PORT", nameof(options));
        }

        _registries = new HashSet<string>(_options.Registries.Select(DockerImageReference.NormalizeRegistry), StringComparer.Ordinal);
        _ports = LeasePortPool.For(_options.Ports);
    }

    /// <summary>Where the Docker Engine is expected.</summary>
    public Uri Endpoint { get; }

    /// <summary>The label value that marks this agent's containers (<c>gpunet.agent</c>): its work directory, which
    /// another agent on the same engine does not share and the same agent keeps across restarts.</summary>
    public string AgentLabel => Path.GetFullPath(_root);

    /// <inheritdoc/>
    public string Name => "docker";

    /// <summary>Whether a lease's GPUs are requested from the engine's NVIDIA driver; false only in tests on an engine
    /// without one (the environment inside the container is the same either way).</summary>
    internal bool AttachGpus { get; init; } = true;

    /// <inheritdoc/>
    /// <remarks>For a Unix socket, whether it exists; a TCP endpoint is taken on trust (a start then says what failed).</remarks>
    public bool IsAvailable(out string reason)
    {
        var ok = Endpoint.Scheme != "unix" || File.Exists(Endpoint.AbsolutePath);
        reason = ok ? "" : $"no Docker Engine at {Endpoint}";
        return ok;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Also when the image is refused: not a reference, from a registry
    /// the operator does not allow, or not pinned where digests are required.</exception>
    public async Task<IRunningWorkload> StartAsync(WorkloadSpec spec, CancellationToken ct)
    {
        spec.Validate();
        var image = Admit(spec.Command[0]);
        if (!IsAvailable(out var reason))
            throw new InvalidOperationException(reason);
        var dir = spec.CreateWorkingDirectory(_root);
        var client = new DockerClientConfiguration(Endpoint).CreateClient();
        string? id = null;
        int? hostPort = null;
        try
        {
            await LeftoversRemovedAsync().WaitAsync(ct);
            await PullIfMissingAsync(client, image, ct);
            if (spec.NeedsHostPort)
                await ServiceNetworkAsync().WaitAsync(ct);
            for (var attempt = 1; ; attempt++)
            {
                if (spec.NeedsHostPort)
                    hostPort = _ports.Rent() ?? throw new InvalidOperationException(
                        spec.Port is { } wanted ? $"no free host port in {_ports.Range} to publish port {wanted} on" : $"no free host port in {_ports.Range} for the session to listen on");
                id = (await client.Containers.CreateContainerAsync(Parameters(spec, image, hostPort, AttachGpus, _options.PidsLimit, AgentLabel), ct)).ID;
                try
                {
                    if (!await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct))
                        throw new InvalidOperationException($"container of image '{image.PullName}' did not start");
                    break;
                }
                catch (DockerApiException e) when (hostPort is not null && attempt < PublishAttempts && IsPortTaken(e))
                {
                    await RemoveQuietlyAsync(client, id);
                    id = null;
                    _ports.Return(hostPort.Value);
                    hostPort = null;
                }
            }

            // The engine keeps the container's output from its start: following it now loses no line.
            var workload = new DockerWorkload(client, id, dir, _time, spec.MemoryMib, hostPort is { } taken ? () => _ports.Return(taken) : null)
            {
                EndpointPort = hostPort,
            };
            if (hostPort is { } published)
                workload.Announce(string.Create(CultureInfo.InvariantCulture, $"[gpunet: port {ContainerPort(spec, published)} published on host port {published}]"));
            workload.Follow();
            WorkloadTimeLimit.Arm(workload, spec.MaxRuntime, _time);
            return workload;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            await AbandonAsync(client, id, hostPort);
            throw new InvalidOperationException($"could not start image '{image.PullName}': {EngineMessage(e)}", e);
        }
        catch
        {
            await AbandonAsync(client, id, hostPort);
            throw;
        }
    }

    /// <summary>Parses an image reference and checks it against the operator's rules.</summary>
    /// <exception cref="InvalidOperationException">The image is refused; the message says why.</exception>
    internal DockerImageReference Admit(string image)
    {
        if (!DockerImageReference.TryParse(image, out var reference, out var error))
            throw new InvalidOperationException($"image: {error}");
        if (!_registries.Contains(reference.Registry))
        {
            throw new InvalidOperationException(
                $"image '{image}': registry {reference.Registry} is not allowed on this host (allowed: {string.Join(", ", _registries.Order(StringComparer.Ordinal))})");
        }

        if (_options.RequireDigest && !reference.IsPinned)
            throw new InvalidOperationException($"image '{image}': this host runs only images pinned by digest (NAME@sha256:...)");
        return reference;
    }

    /// <summary>What the engine is asked to create for <paramref name="spec"/>.</summary>
    /// <param name="hostPort">The host port the service port is published on; null: none (the container gets no network).</param>
    /// <param name="attachGpus">Whether the lease's GPUs are requested from the NVIDIA driver.</param>
    /// <param name="pidsLimit">Most processes in the container.</param>
    internal static CreateContainerParameters Parameters(WorkloadSpec spec, DockerImageReference image, int? hostPort, bool attachGpus, int pidsLimit,
        string? agentLabel = null)
    {
        var host = new HostConfig
        {
            NanoCPUs = spec.CpuMilli * 1_000_000L,
            Memory = spec.MemoryMib * MiB,
            // Swap counts within the limit: a container may not page past its memory.
            MemorySwap = spec.MemoryMib * MiB,
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges"],
            PidsLimit = pidsLimit,
            NetworkMode = hostPort is null ? "none" : ServiceNetwork,
        };
        if (spec.GpuIndices.Count > 0 && attachGpus)
        {
            host.DeviceRequests =
            [
                new DeviceRequest
                {
                    // Host indices: the NVIDIA runtime mounts these devices, which the container then numbers from 0.
                    Driver = "nvidia",
                    DeviceIDs = [.. spec.GpuIndices.Select(i => i.ToString(CultureInfo.InvariantCulture))],
                    Capabilities = [["gpu"]],
                },
            ];
        }

        var parameters = new CreateContainerParameters
        {
            Image = image.PullName,
            Cmd = spec.Command.Count > 1 ? [.. spec.Command.Skip(1)] : null,
            Env = [.. ContainerEnvironment(spec, hostPort).Select(kv => $"{kv.Key}={kv.Value}")],
            Labels = agentLabel is null
                ? new Dictionary<string, string> { ["gpunet.lease"] = spec.LeaseId }
                : new Dictionary<string, string> { ["gpunet.lease"] = spec.LeaseId, [AgentLabelKey] = agentLabel },
            HostConfig = host,
        };
        if (hostPort is { } published)
        {
            var key = $"{ContainerPort(spec, published).ToString(CultureInfo.InvariantCulture)}/tcp";
            parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [key] = default };
            host.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [key] = [new PortBinding { HostPort = published.ToString(CultureInfo.InvariantCulture) }],
            };
        }

        return parameters;
    }

    /// <summary>The container's environment: the lease's variables, then the agent's, which win.</summary>
    /// <remarks>Inside the container the engine shows only the leased GPUs, numbered from 0 in the order the
    /// <c>DeviceRequest</c> lists them, so <c>CUDA_VISIBLE_DEVICES</c> is <c>0..n-1</c>, not the host's indices.
    /// <c>NVIDIA_VISIBLE_DEVICES</c> is read on the host by the NVIDIA runtime, in host indices, and the engine appends
    /// the request's own value after the container's (the runtime takes the last): the agent's value is only what
    /// holds where no request does. That is <c>none</c> without GPUs and <c>void</c> with them (select nothing by
    /// this variable; the request alone selects), which also overrides an image's <c>NVIDIA_VISIBLE_DEVICES=all</c>
    /// (CUDA base images set it) and any value the lease passes, where the engine's default runtime is NVIDIA's.</remarks>
    internal static Dictionary<string, string> ContainerEnvironment(WorkloadSpec spec, int? hostPort)
    {
        var env = (hostPort is { } port ? spec with { ListenPort = ContainerPort(spec, port) } : spec).WorkloadEnvironment(renumbered: true);
        env["NVIDIA_VISIBLE_DEVICES"] = spec.GpuIndices.Count == 0 ? "none" : "void";
        if (hostPort is { } published)
            env["GPUNET_HOST_PORT"] = published.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>The port the container listens on: the order's, else (a session or service without one) the same number
    /// as the host port it is published on.</summary>
    private static int ContainerPort(WorkloadSpec spec, int hostPort) => spec.Port ?? hostPort;

    /// <summary>The <see cref="ServiceNetwork"/> created once for all leases (two creations at once could make two
    /// networks of one name); a failed attempt is tried again by the next lease.</summary>
    private Task ServiceNetworkAsync()
    {
        lock (_lock)
        {
            if (_serviceNetwork is null || _serviceNetwork.IsFaulted || _serviceNetwork.IsCanceled)
                _serviceNetwork = CreateServiceNetworkAsync();
            return _serviceNetwork;
        }
    }

    /// <summary>The label naming the agent a container belongs to.</summary>
    internal const string AgentLabelKey = "gpunet.agent";

    /// <summary>Removes, once per runtime and before its first container, the containers an earlier run of this agent
    /// left (it was killed, or the machine restarted): their leases ended with it (the coordinator hears they were lost),
    /// and a container left running would hold its GPUs and port for nobody.</summary>
    internal Task LeftoversRemovedAsync()
    {
        lock (_lock)
            return _leftovers ??= RemoveLeftoversAsync();
    }

    private async Task RemoveLeftoversAsync()
    {
        using var client = new DockerClientConfiguration(Endpoint).CreateClient();
        try
        {
            var left = await client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{AgentLabelKey}={AgentLabel}"] = true },
                },
            }, CancellationToken.None);
            foreach (var container in left)
                await RemoveQuietlyAsync(client, container.ID);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // The engine is away: the start that follows says so; the next runtime tries again.
            lock (_lock)
                _leftovers = null;
        }
    }

    private async Task CreateServiceNetworkAsync()
    {
        using var client = new DockerClientConfiguration(Endpoint).CreateClient();
        try
        {
            await client.Networks.InspectNetworkAsync(ServiceNetwork);
            return;
        }
        catch (DockerNetworkNotFoundException)
        {
        }

        try
        {
            await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = ServiceNetwork,
                Driver = "bridge",
                CheckDuplicate = true,
                Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" },
                Labels = new Dictionary<string, string> { ["gpunet"] = "service" },
            });
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another agent on the same engine created it first.
        }
    }

    private static async Task PullIfMissingAsync(DockerClient client, DockerImageReference image, CancellationToken ct)
    {
        try
        {
            await client.Images.InspectImageAsync(image.PullName, ct);
            return;
        }
        catch (DockerImageNotFoundException)
        {
        }

        // A failure after the pull began comes as a message in the progress stream, not as an error status.
        var progress = new PullProgress();
        await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image.PullName }, null, progress, ct);
        if (progress.Error is { } error)
            throw new InvalidOperationException($"could not pull image '{image.PullName}': {error}");
    }

    private static bool IsPortTaken(DockerApiException e) =>
        EngineMessage(e) is var message
        && (message.Contains("port is already allocated", StringComparison.OrdinalIgnoreCase)
            || message.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    /// <summary>The engine's own words for a failure: the <c>message</c> of its JSON body, else the exception's.</summary>
    private static string EngineMessage(Exception e)
    {
        if (e is DockerApiException { ResponseBody: { Length: > 0 } body })
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m)
                    && m.GetString() is { Length: > 0 } message)
                    return message;
            }
            catch (JsonException)
            {
                // Not JSON: the exception's message carries the body.
            }
        }

        return e.Message;
    }

    private async Task AbandonAsync(DockerClient client, string? id, int? hostPort)
    {
        await RemoveQuietlyAsync(client, id);
        if (hostPort is { } port)
            _ports.Return(port);
        client.Dispose();
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

    /// <summary>Keeps the last error of a pull's progress stream; reported synchronously as the stream is read.</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } message)
                Error = message;
            else if (value.ErrorMessage is { Length: > 0 } legacy)
                Error = legacy;
        }
    }
}
