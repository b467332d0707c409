namespace Gpunet.Cli.Doctor;

/// <summary>The Docker runtime: an engine the agent can reach, with the NVIDIA runtime that gives containers their GPUs.</summary>
internal static class DockerCheck
{
    public const string Name = "docker";

    private const string Install = "install Docker (Debian: apt-get install docker.io) and let the agent's user use it (usermod -aG docker USER)";

    /// <param name="processRuntimeWorks">Whether process leases can run (<see cref="SandboxCheck"/>).</param>
    public static DoctorCheck Evaluate(DockerEngineInfo engine, bool processRuntimeWorks)
    {
        if (!engine.Reachable)
        {
            return processRuntimeWorks
                ? DoctorCheck.Warn(Name, $"no Docker Engine at {engine.Endpoint} ({engine.Error}): only the process runtime is available, and leases that name an image are refused", Install)
                : DoctorCheck.Fail(Name, $"no Docker Engine at {engine.Endpoint} ({engine.Error}), and process leases cannot run either (see sandbox): no workload can run here", Install);
        }

        var engineText = $"Docker {engine.Version} at {engine.Endpoint}";
        return engine.Runtimes.Contains("nvidia", StringComparer.Ordinal)
            ? DoctorCheck.Ok(Name, $"{engineText} with the NVIDIA runtime")
            : DoctorCheck.Warn(Name, $"{engineText} has no NVIDIA runtime (runtimes: {string.Join(", ", engine.Runtimes)}): containers cannot be given GPUs",
                "install the NVIDIA Container Toolkit, then: nvidia-ctk runtime configure --runtime=docker && systemctl restart docker");
    }
}
