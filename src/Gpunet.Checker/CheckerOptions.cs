namespace Gpunet.Checker;

/// <summary>How a checker node runs: where its coordinator is, where the checker stands, and how it probes.</summary>
public sealed record CheckerOptions
{
    /// <summary>The coordinator's REST API; the checker asks it where to open its gRPC stream.</summary>
    public required Uri Coordinator { get; init; }

    /// <summary>Where the checker is, degrees: the coordinator bounds hosts' places by round trips from here.</summary>
    public double Latitude { get; init; }

    /// <inheritdoc cref="Latitude"/>
    public double Longitude { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country of the checker; empty when not declared.</summary>
    public string Country { get; init; } = "";

    /// <summary>A cheat for demos and honeypot tests: report "pass" for every check without probing.</summary>
    public bool Lazy { get; init; }

    /// <summary>Checks run at once; more assignments wait their turn. Default 8.</summary>
    public int MaxConcurrentChecks { get; init; } = 8;

    /// <summary>Pings per check; the median is the round trip reported. Default 5.</summary>
    public int Pings { get; init; } = 5;

    /// <summary>Bytes a service check downloads from the host to measure throughput. Default 4 MiB.</summary>
    public int DownloadBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The longest wait between attempts to reach the coordinator. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before asking again after the coordinator refused the checker for want of a licence (the
    /// operator may grant one later). Default 30 s.</summary>
    public TimeSpan LicenceRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a probe connection may take to open. Default 5 s.</summary>
    public TimeSpan ProbeConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a probe the host refuses as "not announced yet" is tried again: the coordinator announces a check
    /// to its host and assigns it to checkers at once, over different streams, and a checker's probe can come first.
    /// Default 5 s (within the check's deadline).</summary>
    public TimeSpan AnnouncementWait { get; init; } = TimeSpan.FromSeconds(5);
}
