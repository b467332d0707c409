namespace Gpunet.Cli.Doctor;

/// <summary>Asks the Docker Engine the agent's Docker runtime would use whether it answers, and with which runtimes.</summary>
internal interface IDockerProbe
{
    Task<DockerEngineInfo> InspectAsync(CancellationToken ct);
}
