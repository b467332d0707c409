namespace Gpunet.Core.Gpus;

/// <summary>One NVIDIA GPU model the network knows, as listed in <see cref="GpuCatalog"/>.</summary>
/// <remarks><see cref="VramGb"/> is the marketed capacity in decimal gigabytes (80 for an H100 80GB); nvidia-smi
/// reports somewhat less in MiB (81559 MiB for the same card) because of ECC and reserved memory.</remarks>
/// <param name="Name">Canonical model name, e.g. <c>H100-SXM5-80GB</c>; unique in the catalog.</param>
/// <param name="Family">Model family, e.g. <c>H100</c>; a customer may ask for a family instead of a model.</param>
/// <param name="VramGb">Marketed memory per GPU in GB.</param>
/// <param name="ComputeCapability">CUDA compute capability, e.g. 9.0.</param>
/// <param name="SmiName">The product name nvidia-smi prints for this model, e.g. <c>NVIDIA H100 80GB HBM3</c>.</param>
/// <param name="DataCenter">True for data-centre parts; false for workstation and consumer (GeForce) cards.</param>
public sealed record GpuModel(
    string Name,
    string Family,
    int VramGb,
    decimal ComputeCapability,
    string SmiName,
    bool DataCenter);
