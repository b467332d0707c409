namespace Gpunet.Core.Verification;

/// <summary>One row of one product that a checker asks a GPU to open in a capacity check.</summary>
/// <param name="Product">Which of the GPU's products, from 0.</param>
/// <param name="Row">Which row of that product's C, from 0.</param>
public readonly record struct CapacityRowPick(int Product, int Row);
