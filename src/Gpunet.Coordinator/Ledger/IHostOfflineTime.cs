namespace Gpunet.Coordinator.Ledger;

/// <summary>How long each host was offline (not heard) in a period, for the monthly host SLO (the Sla module reads it
/// from the stored state changes).</summary>
internal interface IHostOfflineTime
{
    /// <summary>Seconds each host was Suspect or Offline in [<paramref name="from"/>, <paramref name="to"/>); hosts never
    /// offline are left out.</summary>
    Task<IReadOnlyDictionary<string, long>> OfflineSecondsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
