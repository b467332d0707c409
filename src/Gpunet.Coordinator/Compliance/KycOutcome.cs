using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;

namespace Gpunet.Coordinator.Compliance;

/// <summary>What a KYC request came to: done (with the submission), or refused with the HTTP status that says why.</summary>
internal sealed record KycOutcome(int Status, KycSubmissionRecord? Submission, string? Problem, IReadOnlyList<KycFieldError> Errors)
{
    public static KycOutcome Done(KycSubmissionRecord s) => new(StatusCodes.Status200OK, s, null, []);

    public static KycOutcome Invalid(IReadOnlyList<KycFieldError> errors) =>
        new(StatusCodes.Status400BadRequest, null, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    public static KycOutcome Conflict(string why) => new(StatusCodes.Status409Conflict, null, why, []);

    public static KycOutcome Forbidden(string why) => new(StatusCodes.Status403Forbidden, null, why, []);

    public static KycOutcome Missing() => new(StatusCodes.Status404NotFound, null, "no such submission", []);
}
