namespace Gpunet.Contracts.Wallet;

/// <summary>A recorded slash event, to be taken by the next settlement.</summary>
public sealed record SlashView(long Id, string Host, string Kind, string Reason, DateTimeOffset At);
