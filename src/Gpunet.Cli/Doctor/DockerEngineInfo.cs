namespace Gpunet.Cli.Doctor;

/// <summary>What the Docker Engine the agent would use said about itself.</summary>
/// <param name="Endpoint">Where the engine was looked for (<c>DOCKER_HOST</c>, else the default socket).</param>
/// <param name="Version">The engine's version; null when it did not answer.</param>
/// <param name="Runtimes">The container runtimes it offers (<c>runc</c>, <c>nvidia</c>, …).</param>
/// <param name="Error">Why it did not answer; null when it did.</param>
internal sealed record DockerEngineInfo(string Endpoint, string? Version, IReadOnlyList<string> Runtimes, string? Error)
{
    public bool Reachable => Error is null;
}
