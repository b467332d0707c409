namespace Gpunet.Coordinator.Storage;

/// <summary>A registered container (one host machine's offer), as stored.</summary>
internal sealed class HostRecord
{
    public required string Id { get; set; }
    public required string Address { get; set; }
    public required string Fingerprint { get; set; }
    public required string Hostname { get; set; }
    public required string Country { get; set; }
    public string Region { get; set; } = "";
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public string PublicIp { get; set; } = "";
    /// <summary>Ask price in USD per GPU-hour.</summary>
    public decimal PriceUsdPerGpuHour { get; set; }
    public string DriverVersion { get; set; } = "";
    public string CudaVersion { get; set; } = "";
    public string CpuModel { get; set; } = "";
    public int CpuCores { get; set; }
    public long MemoryMb { get; set; }
    public bool Simulated { get; set; }
    public string AgentVersion { get; set; } = "";
    public required string State { get; set; }
    public string StateReason { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTimeOffset StateSince { get; set; }
    /// <summary>UTC.</summary>
    public DateTimeOffset RegisteredAt { get; set; }
    /// <summary>UTC; written in batches, so up to one flush period behind the live value.</summary>
    public DateTimeOffset? LastHeardAt { get; set; }
    /// <summary>UTC; since when the host has been heard without a silence longer than the heard gap, up to
    /// <see cref="LastHeardAt"/> (written with it): a restarted coordinator still bills that span.</summary>
    public DateTimeOffset? HeardSince { get; set; }
    public List<GpuRecord> Gpus { get; set; } = [];

    /// <summary>A copy with <paramref name="gpus"/> in place of its GPUs, every other field as it is: records in the
    /// registry are replaced whole, never changed, since readers may hold the old one.</summary>
    public HostRecord WithGpus(List<GpuRecord> gpus)
    {
        var copy = (HostRecord)MemberwiseClone();
        copy.Gpus = gpus;
        return copy;
    }
}
