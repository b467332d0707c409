using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>Image references read as the engine reads them: which registry a reference reaches decides whether the
/// agent runs it.</summary>
public sealed class DockerImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", null, null, "docker.io/library/busybox:latest")]
    [InlineData("vllm/vllm-openai:v0.6.3", "docker.io", "vllm/vllm-openai", "v0.6.3", null, "docker.io/vllm/vllm-openai:v0.6.3")]
    [InlineData("docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", null, "docker.io/library/busybox:1.36")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox", null, null, "docker.io/library/busybox:latest")]
    [InlineData("ghcr.io/org/app@" + Sha, "ghcr.io", "org/app", null, Sha, "ghcr.io/org/app@" + Sha)]
    [InlineData("nvcr.io/nvidia/pytorch:24.05-py3@" + Sha, "nvcr.io", "nvidia/pytorch", "24.05-py3", Sha, "nvcr.io/nvidia/pytorch:24.05-py3@" + Sha)]
    [InlineData("localhost:2375/x", "localhost:2375", "x", null, null, "localhost:2375/x:latest")]
    [InlineData("localhost/x:1", "localhost", "x", "1", null, "localhost/x:1")]
    [InlineData("Registry.Internal/app", "registry.internal", "app", null, null, "registry.internal/app:latest")]
    [InlineData("10.0.0.5:5000/team/app:v2", "10.0.0.5:5000", "team/app", "v2", null, "10.0.0.5:5000/team/app:v2")]
    [InlineData("gpunet-test/busybox:1", "docker.io", "gpunet-test/busybox", "1", null, "docker.io/gpunet-test/busybox:1")]
    public void TryParse_Reference_FindsTheRegistryTheEngineWouldPullFrom(string text, string registry, string repository, string? tag, string? digest, string pull)
    {
        Assert.True(DockerImageReference.TryParse(text, out var reference, out var error), error);
        Assert.Equal(new DockerImageReference(registry, repository, tag, digest), reference);
        Assert.Equal(pull, reference.PullName);
        Assert.Equal(digest is not null, reference.IsPinned);
    }

    [Theory]
    [InlineData("")]
    [InlineData("library/BusyBox")]
    [InlineData("busybox:")]
    [InlineData("busybox:1:2")]
    [InlineData("busybox@sha256:abc")]
    [InlineData("http://registry.example/app")]
    [InlineData("registry.example:port/app")]
    [InlineData("a..b/app")]
    [InlineData("-busybox")]
    [InlineData("busybox --privileged")]
    [InlineData("registry.example/")]
    public void TryParse_NotAReference_SaysSo(string text)
    {
        Assert.False(DockerImageReference.TryParse(text, out var reference, out var error));
        Assert.Null(reference);
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("docker.io", true)]
    [InlineData("ghcr.io", true)]
    [InlineData("registry.internal:5000", true)]
    [InlineData("10.0.0.5:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("localhost", true)]
    [InlineData("https://ghcr.io", false)]
    [InlineData("ghcr.io/org", false)]
    [InlineData("ghcr.io:", false)]
    [InlineData("", false)]
    public void IsRegistryName_OperatorsRegistry_IsHostOrHostAndPort(string text, bool expected) =>
        Assert.Equal(expected, DockerImageReference.IsRegistryName(text));
}
