using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Hosts;

/// <summary>One GPU of a host as the API shows it; status fields come from the latest heartbeat.</summary>
/// <param name="VramGb">Memory in GB, from the model catalog.</param>
/// <param name="UtilizationPct">Percent busy; null when the driver does not report it or before the first heartbeat.</param>
/// <param name="TemperatureC">Degrees Celsius; null when unknown.</param>
/// <param name="MemoryUsedMib">MiB in use; null before the first heartbeat.</param>
public sealed record GpuView(int Index, [property: MaxLength(TextLimits.Model)] string Model, int VramGb, [property: MaxLength(64)] string Uuid, int? UtilizationPct, int? TemperatureC, long? MemoryUsedMib);
