using System.Net;
using System.Net.Sockets;

namespace Gpunet.IntegrationTests.Support;

/// <summary>Free TCP ports on 127.0.0.1 for a process bound later, or restarted on the ports it had (its agents find it
/// again).</summary>
/// <remarks>Drawn below the system's ephemeral range (32768 and up on Linux), from which every "port 0" listener of
/// the other tests takes its port: a port chosen here and bound seconds later (a compose service, a coordinator
/// restarted) is not taken meanwhile by one of them (seen once in CI: a devnet took the compose agents' port). Nor by
/// another test's draw: a port is handed out once per test run (seen once in CI: a test bound the compose coordinator's
/// agent port in the two minutes its images took to build).</remarks>
internal static class LoopbackPorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port nothing listens on now.</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> distinct ports nothing listens on now (held together until all are known).</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var port = 20_000 + Random.Shared.Next(12_000 - count); listeners.Count < count && port < 32_000; port++)
            {
                lock (Given)
                {
                    if (Given.Contains(port))
                        continue;
                }

                var l = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    l.Start();
                    listeners.Add(l);
                }
                catch (SocketException)
                {
                    l.Dispose();
                }
            }

            if (listeners.Count < count)
                throw new InvalidOperationException($"found {listeners.Count} of {count} free ports under 32000");
            var ports = listeners.ConvertAll(l => ((IPEndPoint)l.LocalEndpoint).Port);
            lock (Given)
            {
                // Another caller may have drawn one of them meanwhile: draw again rather than share.
                if (ports.Any(Given.Contains))
                    return Free(count);
                Given.UnionWith(ports);
            }

            return [.. ports];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
