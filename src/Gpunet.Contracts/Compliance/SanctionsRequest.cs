using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// A sanctions list to import, in the OFAC SDN CSV format.
public sealed record SanctionsRequest(
    [property: Required, Description("The OFAC SDN list, CSV (sdn.csv)")] string? Sdn,
    [property: Description("Its aliases file, CSV (alt.csv); optional")] string? Alt);
