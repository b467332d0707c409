namespace Gpunet.Core.Marketplace;

/// <summary>The order could not be placed; nothing was allocated.</summary>
/// <param name="Reason">Why, for people: the most useful cause, e.g. <c>no 8 × H100 free in DE: 3 hosts match but are busy</c>.</param>
public sealed record NotMatched(string Reason) : MatchResult;
