using System.Collections.Immutable;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>The order is placed: one placement per host of the gang, on distinct nodes, already allocated in the
/// matcher's cluster.</summary>
public sealed record Matched(ImmutableArray<Placement> Placements) : MatchResult;
