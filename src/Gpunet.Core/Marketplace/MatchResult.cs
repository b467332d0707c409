namespace Gpunet.Core.Marketplace;

/// <summary>What <see cref="OrderMatcher.Match"/> decided: <see cref="Matched"/> or <see cref="NotMatched"/>.</summary>
public abstract record MatchResult;
