using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

// A sanctions list imported: its size, who was screened again, and what was paused or ended.
public sealed record SanctionsImportedView([property: MaxLength(TextLimits.Version)] string Version, int Entries, int Names, int Screened, int Rejected, int Review,
    IReadOnlyList<EnforcedItem> HostsPaused, IReadOnlyList<EnforcedItem> LeasesEnded);
