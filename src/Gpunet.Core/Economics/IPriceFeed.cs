namespace Gpunet.Core.Economics;

/// <summary>Where the USD/token rate comes from; the coordinator locks <see cref="Current"/> into each order when it is placed.</summary>
public interface IPriceFeed
{
    /// <summary>A short name for logs and the API, e.g. <c>fixed</c>.</summary>
    string Name { get; }

    /// <summary>The rate now.</summary>
    TokenRate Current();
}
