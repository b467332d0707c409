namespace Gpunet.Coordinator.Storage;

/// <summary>One check of one host: what was asked of whom, and (once decided) the majority and its consequence.</summary>
internal sealed class CheckRecord
{
    /// <summary>Random, unguessable: <c>chk_</c> and 24 hex digits.</summary>
    public required string Id { get; set; }
    public required string HostId { get; set; }
    /// <summary>The host's operator when the check was issued.</summary>
    public required string HostOperator { get; set; }
    /// <summary>liveness, service or capacity.</summary>
    public required string Kind { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset Deadline { get; set; }
    /// <summary>The 2N+1 checkers' addresses, comma-separated, in the order they were picked.</summary>
    public required string Checkers { get; set; }
    /// <summary>Capacity checks: the task as JSON (sizes, opened rows, security bits, claimed GPUs); null otherwise.</summary>
    public string? Task { get; set; }
    /// <summary>A planted known-bad host: its right answer is "fail", and no majority is needed to know it.</summary>
    public bool Honeypot { get; set; }
    /// <summary>A check of a registered host planted as a honeypot (<see cref="PlantedHostRecord"/>) when it was issued:
    /// like <see cref="Honeypot"/>, its right answer is "fail"; it is shown as one only once the host is retired.</summary>
    public bool Planted { get; set; }
    /// <summary>pending, passed, failed, undecided or escalated (<see cref="EscalatedTo"/>).</summary>
    public required string Outcome { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>What followed, in words (a slash, a hold lifted, a location flag); empty when nothing did.</summary>
    public string Consequence { get; set; } = "";
    /// <summary>A second panel's check: the id of the check whose first panel split (<see cref="Core.Verification.PanelRules"/>);
    /// both panels' reports decide it. Null otherwise.</summary>
    public string? EscalatedFrom { get; set; }
    /// <summary>A first panel's check that split: the id of the second panel's check, where it is decided. Null otherwise.</summary>
    public string? EscalatedTo { get; set; }
    public long Version { get; set; }
}
