namespace Gpunet.Cli.Doctor;

/// <summary>Tries the process runtime's sandbox as the agent would at its first process lease.</summary>
internal interface ISandboxProbe
{
    SandboxState Inspect();
}
