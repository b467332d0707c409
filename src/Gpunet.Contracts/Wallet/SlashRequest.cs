using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>A broken promise to slash: <c>kind</c> is <c>deceit</c> (the whole required stake) or <c>downtime</c>
/// (a third of it), with what happened.</summary>
public sealed record SlashRequest(
    [property: Required, AllowedValues("deceit", "downtime")] string? Kind,
    [property: Required, StringLength(500, MinimumLength = 1)] string? Reason);
