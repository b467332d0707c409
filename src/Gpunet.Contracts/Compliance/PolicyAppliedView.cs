using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

/// <summary>A policy applied: its version, and the hosts paused and leases ended by it (the first 1,000 of each; the
/// unlisted counts say how many more, null when none; the audit log names every one).</summary>
public sealed record PolicyAppliedView([property: MaxLength(TextLimits.Version)] string Version, bool Unchanged,
    [property: MaxLength(ShortLists.Enforced)] IReadOnlyList<EnforcedItem> HostsPaused, [property: MaxLength(ShortLists.Enforced)] IReadOnlyList<EnforcedItem> LeasesEnded,
    int? HostsUnlisted = null, int? LeasesUnlisted = null);
