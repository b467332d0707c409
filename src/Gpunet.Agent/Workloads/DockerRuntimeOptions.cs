namespace Gpunet.Agent.Workloads;

/// <summary>What the operator lets the Docker runtime run and publish.</summary>
public sealed class DockerRuntimeOptions
{
    /// <summary>The registries images may come from (<c>HOST</c> or <c>HOST:PORT</c>); default Docker Hub only.</summary>
    /// <remarks>Every image must come from one of these, pinned or not: the engine connects to the registry an image
    /// names with the host's own network position and credentials, so a reference such as <c>localhost:2375/x</c>
    /// would reach the host's private services. <c>index.docker.io</c> and <c>registry-1.docker.io</c> count as
    /// <c>docker.io</c>.</remarks>
    public IReadOnlyList<string> Registries { get; init; } = [DockerImageReference.DockerHub];

    /// <summary>Whether images must be pinned by digest (<c>NAME@sha256:…</c>); default false (a tag may be given).</summary>
    public bool RequireDigest { get; init; }

    /// <summary>The host ports a container's service port is published on, one per lease; default 30000-30999. The
    /// agent sets its lease ports here, which the process runtime's sessions and services share (one pool per range).</summary>
    public LeasePortRange Ports { get; init; } = LeasePortRange.Default;

    /// <summary>Most processes (and threads) in one container; default 4096.</summary>
    /// <remarks>Stops a fork bomb from exhausting the host's process table; generous for data loaders and servers.</remarks>
    public int PidsLimit { get; init; } = 4096;

    /// <summary>These options with <paramref name="ports"/> as the host ports.</summary>
    internal DockerRuntimeOptions WithPorts(LeasePortRange ports) =>
        new() { Registries = Registries, RequireDigest = RequireDigest, PidsLimit = PidsLimit, Ports = ports };
}
