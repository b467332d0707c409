namespace Gpunet.Coordinator.Ledger;

/// <summary>A recorded slash event, to be taken by the next settlement.</summary>
internal sealed record SlashView(long Id, string Host, string Kind, string Reason, DateTimeOffset At);
