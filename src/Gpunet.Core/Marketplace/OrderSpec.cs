namespace Gpunet.Core.Marketplace;

/// <summary>What a customer asks for: GPUs, where, for how long, at what price, and what to run.</summary>
/// <remarks>Prices are USD per GPU-hour; CPU is in millicores and memory in MiB, per host; a GPU share is in
/// thousandths of one GPU (1000 = a whole GPU).</remarks>
public sealed record OrderSpec
{
    /// <summary>Acceptable models: canonical names (<c>H100-SXM5-80GB</c>) or families (<c>H100</c>); empty = any that
    /// meets <see cref="MinVramGb"/> and <see cref="MinComputeCapability"/>.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public int? MinVramGb { get; init; }
    public decimal? MinComputeCapability { get; init; }

    /// <summary>GPUs per host; 1 with <see cref="GpuMilli"/> under 1000 for a slice of one GPU.</summary>
    public int GpusPerHost { get; init; } = 1;

    /// <summary>Share of each GPU in thousandths; 1000 = whole GPUs.</summary>
    public int GpuMilli { get; init; } = 1000;

    public int CpuMilliPerHost { get; init; }
    public long MemoryMibPerHost { get; init; }

    /// <summary>Hosts placed together, all or nothing.</summary>
    public int Hosts { get; init; } = 1;

    /// <summary>ISO 3166-1 alpha-2 codes the hosts must be in; empty = anywhere not denied.</summary>
    public IReadOnlyList<string> AllowedCountries { get; init; } = [];
    public IReadOnlyList<string> DeniedCountries { get; init; } = [];

    /// <summary>Regions (a host's declared region: state, province, e.g. <c>Hesse</c>) the hosts must be in, matched
    /// without regard to case; empty = any region not denied.</summary>
    public IReadOnlyList<string> AllowedRegions { get; init; } = [];
    public IReadOnlyList<string> DeniedRegions { get; init; } = [];

    /// <summary>For interactive work: the most round-trip latency, in milliseconds, to <see cref="LatencyFrom"/>.</summary>
    public int? MaxLatencyMs { get; init; }
    public (double Latitude, double Longitude)? LatencyFrom { get; init; }

    public string SlaTier { get; init; } = "standard";

    public decimal MaxPriceUsdPerGpuHour { get; init; }
    public OrderType Type { get; init; } = OrderType.OnDemand;

    /// <summary>The term of a reserve order; the most an on-demand order may run (null: until cancelled).</summary>
    public TimeSpan? Duration { get; init; }

    public RestartPolicy Restart { get; init; } = RestartPolicy.Never;
    public WorkloadKind Kind { get; init; } = WorkloadKind.Job;

    /// <summary><c>process</c> or <c>docker</c>.</summary>
    public string Runtime { get; init; } = "process";

    /// <summary>Program and arguments (process runtime), or image and arguments (docker).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The port a service exposes.</summary>
    public int? Port { get; init; }

    /// <summary>How the matcher ranks the hosts that pass the hard filters.</summary>
    public Ranking Ranking { get; init; } = Ranking.Balanced;

    /// <summary>How long the order may wait in the queue for capacity before it expires.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromHours(1);
}
