namespace Gpunet.Coordinator.Ledger;

/// <summary>A broken promise to slash: <c>kind</c> is <c>deceit</c> (the whole required stake) or <c>downtime</c>
/// (a third of it), with what happened.</summary>
internal sealed record SlashRequest(string? Kind, string? Reason);
