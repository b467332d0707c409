namespace Gpunet.Cli.Doctor;

/// <summary>Whether a TCP port of this host is free for the agent to listen on.</summary>
internal interface IPortProbe
{
    bool IsFree(int port);
}
