using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Marketplace;

namespace Gpunet.Contracts.Marketplace;

/// <summary>One step of a lease's history: a state it entered, on which host, and why.</summary>
public sealed record LeaseEventView(DateTimeOffset At, [property: EnumNames(typeof(LeaseState))] string State, [property: RegularExpression(ApiPatterns.HostId)] string? HostId, [property: MaxLength(TextLimits.Reason)] string Reason);
