using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Marketplace;

/// <summary>One line a lease's workload wrote.</summary>
/// <param name="Sequence">The line's number within its attempt, from 1.</param>
/// <param name="Attempt">Which placement of the lease wrote it, from 1: a lease moved to another host after its host was
/// lost runs again there as the next attempt, which numbers its lines from 1.</param>
public sealed record LogLineView(long Sequence, [property: MaxLength(TextLimits.Label)] string Stream, [property: MaxLength(TextLimits.LogLine)] string Text, DateTimeOffset At, int Attempt);
