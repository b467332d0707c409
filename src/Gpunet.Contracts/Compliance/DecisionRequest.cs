using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// An officer's approval or rejection of a pending submission.
public sealed record DecisionRequest(
    [property: Description("Why; required to reject"), StringLength(500)] string? Reason = null,
    [property: Description("A rejection the participant may not answer with a new submission")] bool Final = false);
