using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>One step of a lease's history: a state it entered, on which host, and why.</summary>
public sealed record LeaseEventView(DateTimeOffset At, [property: EnumNames(typeof(LeaseState))] string State, [property: RegularExpression(OpenApiContract.HostIdPattern)] string? HostId, string Reason);
