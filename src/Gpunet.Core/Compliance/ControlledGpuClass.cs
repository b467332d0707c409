namespace Gpunet.Core.Compliance;

/// <summary>An export-controlled GPU family and the rule that controls it.</summary>
/// <param name="Family">A family name from <see cref="Gpus.GpuCatalog.Families"/>, e.g. <c>H100</c>.</param>
/// <param name="Rule">The regulation it comes from, e.g. <c>US EAR 3A090 / ECCN 4A090 (Oct 2023)</c>.</param>
public sealed record ControlledGpuClass(string Family, string Rule);
