namespace Gpunet.Core.Gpus;

/// <summary>A catalog row: the model and the memory total nvidia-smi reports for it.</summary>
/// <param name="Model">The model.</param>
/// <param name="SmiMemoryTotalMiB">What <c>nvidia-smi --query-gpu=memory.total</c> prints for a real card, in MiB
/// (e.g. 81559 for an H100 80GB HBM3); used to tell variants apart and by the simulator.</param>
internal sealed record GpuCatalogEntry(GpuModel Model, long SmiMemoryTotalMiB);
