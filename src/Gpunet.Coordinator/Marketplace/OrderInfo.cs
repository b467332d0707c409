using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>An order as the market places it: the stored order, the customer's request and the spec read from it.</summary>
internal sealed record OrderInfo(OrderRecord Order, OrderRequest Request, OrderSpec Spec);
