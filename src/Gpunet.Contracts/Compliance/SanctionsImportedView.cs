using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

/// <summary>A sanctions list imported: its size, who was screened again, and what was paused or ended (the first 1,000 of
/// each; the unlisted counts say how many more, null when none; the audit log names every one).</summary>
public sealed record SanctionsImportedView([property: MaxLength(TextLimits.Version)] string Version, int Entries, int Names, int Screened, int Rejected, int Review,
    [property: MaxLength(ShortLists.Enforced)] IReadOnlyList<EnforcedItem> HostsPaused, [property: MaxLength(ShortLists.Enforced)] IReadOnlyList<EnforcedItem> LeasesEnded,
    int? HostsUnlisted = null, int? LeasesUnlisted = null);
