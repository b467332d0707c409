using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Hosts;

/// <summary>One lifecycle state change of a host; <see cref="From"/> is <c>New</c> for the registration itself.</summary>
public sealed record TransitionView([property: MaxLength(TextLimits.Label)] string From, [property: MaxLength(TextLimits.Label)] string To, [property: MaxLength(TextLimits.Reason)] string Reason, DateTimeOffset At);
