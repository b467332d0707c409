namespace Gpunet.Core.Compliance;

/// <summary>Whose order it is, as far as the order gate cares.</summary>
public enum OrderOwner
{
    /// <summary>A customer: bound by their KYC/KYB, the export rules for their country and the residency they ask for.</summary>
    Customer,

    /// <summary>The network operator's own order: bound only by the residency it asks for.</summary>
    Operator,
}
