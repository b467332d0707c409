using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Where every host's location check is kept.</summary>
internal interface IHostLocationStore
{
    /// <summary>Every host's check.</summary>
    Task<IReadOnlyList<HostLocationRecord>> AllAsync(CancellationToken ct);

    /// <summary>The checks of these hosts (those that have one).</summary>
    Task<IReadOnlyList<HostLocationRecord>> FindAsync(IReadOnlyCollection<string> hostIds, CancellationToken ct);

    /// <summary>Stores checks, each with its audit entry, in one transaction: all or none.</summary>
    /// <remarks>An officer's clearance stored meanwhile is kept by a check of the same address and declaration (the
    /// record then carries it).</remarks>
    /// <param name="versions">The sanctions list and policy versions to stamp on the entries.</param>
    Task SaveAsync(IReadOnlyList<(HostLocationRecord Record, AuditDraft Decision)> checks, (string List, string Policy) versions, CancellationToken ct);
}
