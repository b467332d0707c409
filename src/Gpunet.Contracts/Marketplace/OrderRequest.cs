namespace Gpunet.Contracts.Marketplace;

/// <summary>An order as <c>POST /api/v1/orders</c> takes it. Prices are USD per GPU-hour; CPU in millicores and memory
/// in MiB, per host; enumerations in kebab case (<c>on-demand</c>, <c>on-host-loss</c>, <c>lowest-fee</c>).</summary>
public sealed record OrderRequest
{
    /// <summary>Acceptable GPU models or families (<c>H100</c>, <c>A100-SXM4-80GB</c>); empty: any.</summary>
    public IReadOnlyList<string> Gpu { get; init; } = [];
    /// <summary>GPUs per host.</summary>
    public int Count { get; init; } = 1;
    /// <summary>Share of each GPU in thousandths; under 1000 for a slice of one GPU.</summary>
    public int GpuMilli { get; init; } = 1000;
    public int? MinVramGb { get; init; }
    public decimal? MinComputeCapability { get; init; }
    /// <summary>CPU per host, in millicores.</summary>
    public int Cpu { get; init; }
    /// <summary>Memory per host, in MiB.</summary>
    public long MemoryMib { get; init; }
    /// <summary>Hosts placed together, all or nothing.</summary>
    public int Hosts { get; init; } = 1;
    /// <summary>Countries allowed (ISO 3166-1 alpha-2); empty: anywhere not denied.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];
    public IReadOnlyList<string> NotCountries { get; init; } = [];
    /// <summary>Regions allowed (a host's declared region, e.g. <c>Hesse</c>); empty: any not denied.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<string> NotRegions { get; init; } = [];
    /// <summary>A data-residency zone of the compliance policy (e.g. <c>EU</c>): hosts outside it are never matched.</summary>
    public string? Residency { get; init; }
    /// <summary>Pins the order to one host.</summary>
    public string? Host { get; init; }
    public int? MaxLatencyMs { get; init; }
    public GeoPoint? LatencyFrom { get; init; }
    /// <summary>The SLA tier, one of those <c>GET /api/v1/sla/tiers</c> lists: the order is placed only on hosts whose
    /// record qualifies for it.</summary>
    public string SlaTier { get; init; } = "standard";
    /// <summary>The most the customer pays, USD per GPU-hour.</summary>
    public decimal MaxPrice { get; init; }
    /// <summary><c>on-demand</c> or <c>reserve</c>.</summary>
    public string Type { get; init; } = "on-demand";
    /// <summary>The term (reserve) or the most it may run (on-demand; null: until cancelled or done).</summary>
    public double? Hours { get; init; }
    /// <summary><c>never</c> or <c>on-host-loss</c>.</summary>
    public string Restart { get; init; } = "never";
    /// <summary><c>job</c>, <c>service</c> or <c>session</c>.</summary>
    public string Kind { get; init; } = "job";
    /// <summary><c>process</c> or <c>docker</c>.</summary>
    public string Runtime { get; init; } = "process";
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public int? Port { get; init; }
    /// <summary><c>balanced</c>, <c>lowest-fee</c> or <c>best-experience</c>.</summary>
    public string Ranking { get; init; } = "balanced";
    /// <summary>How long it may wait for capacity, in minutes (default 60).</summary>
    public double QueueTimeoutMinutes { get; init; } = 60;

}
