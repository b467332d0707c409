namespace Gpunet.Cli.Doctor;

/// <summary>Everything the doctor asks the host, each behind its own small port so that tests feed recorded answers.</summary>
internal sealed record DoctorProbes(
    ICommandRunner Commands, ICoordinatorProbe Coordinator, IPortProbe Ports, IDiskProbe Disk, IDockerProbe Docker, ISandboxProbe Sandbox)
{
    /// <summary>The real host: its programs, sockets, file systems, Docker Engine and sandbox.</summary>
    public static DoctorProbes Real(TimeProvider time) => new(
        new ProcessCommandRunner(time), new HttpCoordinatorProbe(time), new SocketPortProbe(), new DriveDiskProbe(),
        new DockerEngineProbe(time), new ProcessSandboxProbe(time));
}
