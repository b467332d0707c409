namespace Gpunet.Core.Economics;

/// <summary>The default price feed: one configured rate that never changes (devnet: <see cref="TokenRate.Default"/>, 0.10 USD per token).</summary>
public sealed class FixedPriceFeed(TokenRate rate) : IPriceFeed
{
    /// <summary><c>fixed</c>.</summary>
    public string Name => "fixed";

    /// <summary>The configured rate.</summary>
    public TokenRate Current() => rate;
}
