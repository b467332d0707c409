namespace Gpunet.Core.Verification;

/// <summary>The calls of a host's probe endpoint (HostProbe in checker.proto).</summary>
public enum ProbeRpc
{
    /// <summary>An echo: the checker's round trip to the host. Allowed for every kind of check.</summary>
    Ping,

    /// <summary>Bytes from the host: the checker's download rate. Allowed for service checks.</summary>
    Download,

    /// <summary>A seeded matrix product on every GPU, committed and then opened. Allowed for capacity checks.</summary>
    Capacity,
}
