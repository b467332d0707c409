using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>A recorded slash event, to be taken by the next settlement.</summary>
public sealed record SlashView(long Id, [property: RegularExpression(ApiPatterns.HostId)] string Host, [property: MaxLength(TextLimits.Label)] string Kind, [property: MaxLength(TextLimits.Reason)] string Reason, DateTimeOffset At);
