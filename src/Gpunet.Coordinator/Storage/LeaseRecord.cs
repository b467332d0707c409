namespace Gpunet.Coordinator.Storage;

/// <summary>One host's share of an order: its state, and while placed, the host and GPUs it holds.</summary>
internal sealed class LeaseRecord
{
    public required string Id { get; set; }
    public required string OrderId { get; set; }
    public required string Owner { get; set; }
    /// <summary>Position in a gang order, from 0.</summary>
    public int Member { get; set; }
    public required string State { get; set; }
    /// <summary>Why it is in its state: the queue's reason while pending, the end's detail once ended.</summary>
    public string StateReason { get; set; } = "";
    /// <summary>The typed end reason (<c>completed</c>, <c>cancelled</c>, …); null while not ended.</summary>
    public string? EndReason { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? HostId { get; set; }
    /// <summary>The host's GPU indices, comma-separated.</summary>
    public string GpuIndices { get; set; } = "";
    public int GpuMilli { get; set; }
    public string GpuModel { get; set; } = "";
    public decimal PriceUsdPerGpuHour { get; set; }
    /// <summary>The allocation row that holds its capacity while placed.</summary>
    public string? AllocationId { get; set; }
    /// <summary>Times it was placed (a move after a lost host places it again).</summary>
    public int Attempt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PlacedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public int? ExitCode { get; set; }
    /// <summary>The order's SLA tier (<c>standard</c> unless it asked for another).</summary>
    public string SlaTier { get; set; } = "standard";
    /// <summary>Session and service leases: where the customer connects, <c>ADDRESS:PORT</c> (the host's address and the
    /// port its agent gave this lease); null otherwise or until the workload starts.</summary>
    public string? Endpoint { get; set; }
    /// <summary>Bumped by every change; checked on update, so two coordinators cannot both move one lease.</summary>
    public long Version { get; set; }
}
