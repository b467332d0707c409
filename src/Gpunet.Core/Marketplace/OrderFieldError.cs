namespace Gpunet.Core.Marketplace;

/// <summary>One thing wrong with an order, named by its field (<c>gpu</c>, <c>count</c>, <c>country</c>, …).</summary>
public sealed record OrderFieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
