using System.Net;
using System.Net.Sockets;

namespace Gpunet.IntegrationTests.Support;

/// <summary>Free TCP ports on 127.0.0.1, for a process restarted on the ports it had (its agents find it again).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on now (the system's pick, released at once).</summary>
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
