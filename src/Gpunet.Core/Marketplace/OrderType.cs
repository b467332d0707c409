namespace Gpunet.Core.Marketplace;

/// <summary>How an order is paid: metered per minute, or a prepaid fixed term.</summary>
public enum OrderType
{
    /// <summary><c>on-demand</c>: metered per minute while it runs.</summary>
    OnDemand,
    /// <summary><c>reserve</c>: a fixed term, prepaid into escrow.</summary>
    Reserve,
}
