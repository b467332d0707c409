using System.Text.Json;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The terms of an accepted order as the store keeps them (<c>orders.spec</c>): the marketplace's own shape,
/// read in one place, so the API's request can change without stranding the orders already stored.</summary>
/// <remarks>Version 1 has the field names the API's request had when it was made: an order stored before this shape
/// existed (the request's JSON, without <see cref="Version"/>) reads as version 1. A later change of the stored terms
/// raises the version and reads the older ones.</remarks>
internal sealed record StoredOrder
{
    /// <summary>The version written now.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int Version { get; init; } = CurrentVersion;
    public IReadOnlyList<string> Gpu { get; init; } = [];
    public int Count { get; init; } = 1;
    public int GpuMilli { get; init; } = 1000;
    public int? MinVramGb { get; init; }
    public decimal? MinComputeCapability { get; init; }
    public int Cpu { get; init; }
    public long MemoryMib { get; init; }
    public int Hosts { get; init; } = 1;
    public IReadOnlyList<string> Countries { get; init; } = [];
    public IReadOnlyList<string> NotCountries { get; init; } = [];
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<string> NotRegions { get; init; } = [];
    public string? Residency { get; init; }
    public string? Host { get; init; }
    public int? MaxLatencyMs { get; init; }
    public StoredPoint? LatencyFrom { get; init; }
    public string SlaTier { get; init; } = "standard";
    public decimal MaxPrice { get; init; }
    public string Type { get; init; } = "on-demand";
    public double? Hours { get; init; }
    public string Restart { get; init; } = "never";
    public string Kind { get; init; } = "job";
    public string Runtime { get; init; } = "process";
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public int? Port { get; init; }
    public string Ranking { get; init; } = "balanced";
    public double QueueTimeoutMinutes { get; init; } = 60;

    /// <summary>A point on the globe as stored.</summary>
    public sealed record StoredPoint(double Latitude, double Longitude);

    /// <summary>The terms of an order the API accepted.</summary>
    public static StoredOrder Of(OrderRequest r) => new()
    {
        Gpu = r.Gpu, Count = r.Count, GpuMilli = r.GpuMilli, MinVramGb = r.MinVramGb, MinComputeCapability = r.MinComputeCapability,
        Cpu = r.Cpu, MemoryMib = r.MemoryMib, Hosts = r.Hosts, Countries = r.Countries, NotCountries = r.NotCountries,
        Regions = r.Regions, NotRegions = r.NotRegions, Residency = r.Residency, Host = r.Host, MaxLatencyMs = r.MaxLatencyMs,
        LatencyFrom = r.LatencyFrom is { } p ? new StoredPoint(p.Latitude, p.Longitude) : null, SlaTier = r.SlaTier,
        MaxPrice = r.MaxPrice, Type = r.Type, Hours = r.Hours, Restart = r.Restart, Kind = r.Kind, Runtime = r.Runtime,
        Command = r.Command, Environment = r.Environment, Port = r.Port, Ranking = r.Ranking, QueueTimeoutMinutes = r.QueueTimeoutMinutes,
    };

    /// <summary>The stored order's terms, from its row.</summary>
    /// <exception cref="InvalidDataException">The row holds no order this coordinator can read.</exception>
    public static StoredOrder Read(OrderRecord order)
    {
        var stored = JsonSerializer.Deserialize<StoredOrder>(order.Spec, Json)
            ?? throw new InvalidDataException($"order {order.Id}: the stored terms are empty");
        return stored.Version is >= 1 and <= CurrentVersion
            ? stored
            : throw new InvalidDataException($"order {order.Id}: stored terms of version {stored.Version}, newer than this coordinator reads ({CurrentVersion})");
    }

    /// <summary>The JSON the store keeps.</summary>
    public string Write() => JsonSerializer.Serialize(this, Json);

    /// <summary>The terms as the API's request, for validation into the matcher's spec and for the API's views.</summary>
    public OrderRequest ToRequest() => new()
    {
        Gpu = Gpu, Count = Count, GpuMilli = GpuMilli, MinVramGb = MinVramGb, MinComputeCapability = MinComputeCapability,
        Cpu = Cpu, MemoryMib = MemoryMib, Hosts = Hosts, Countries = Countries, NotCountries = NotCountries,
        Regions = Regions, NotRegions = NotRegions, Residency = Residency, Host = Host, MaxLatencyMs = MaxLatencyMs,
        LatencyFrom = LatencyFrom is { } p ? new GeoPoint(p.Latitude, p.Longitude) : null, SlaTier = SlaTier,
        MaxPrice = MaxPrice, Type = Type, Hours = Hours, Restart = Restart, Kind = Kind, Runtime = Runtime,
        Command = Command, Environment = Environment, Port = Port, Ranking = Ranking, QueueTimeoutMinutes = QueueTimeoutMinutes,
    };
}
