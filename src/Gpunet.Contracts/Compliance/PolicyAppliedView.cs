using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

// A policy applied: its version, and the hosts paused and leases ended by it.
public sealed record PolicyAppliedView([property: MaxLength(TextLimits.Version)] string Version, bool Unchanged, IReadOnlyList<EnforcedItem> HostsPaused, IReadOnlyList<EnforcedItem> LeasesEnded);
