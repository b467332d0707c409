using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Console;

// The network at a glance, from aggregates: hosts by state, GPUs up and leased, per country and per model.
public sealed record NetworkAtlasView(
    [property: MaxLength(TextLimits.Label)] string Network,
    [property: Description("When it was counted")] DateTimeOffset At,
    int Hosts,
    IReadOnlyDictionary<string, int> HostsByState,
    [property: Description("GPUs on hosts that are up (every state but Offline)")] int Gpus,
    [property: Description("Of them, GPUs a lease holds all or part of")] int GpusLeased,
    [property: Description("GpusLeased / Gpus, from 0 to 1")] double Utilisation,
    [property: Description("Agents' heartbeats per second, as this coordinator hears them")] double HeartbeatsPerSecond,
    [property: Description("Verification checks decided in the last minute")] int ChecksLastMinute,
    [property: Description("Most GPUs first"), MaxLength(ShortLists.Countries)] IReadOnlyList<AtlasCountryView> Countries,
    [property: Description("Most GPUs first"), MaxLength(ShortLists.GpuModels)] IReadOnlyList<AtlasModelView> Models);

// A country on the map: where its hosts are on average, and its GPUs by model.
public sealed record AtlasCountryView(
    [property: RegularExpression(ApiPatterns.Country)] string Country,
    [property: MaxLength(TextLimits.Name)] string Name,
    [property: Description("Mean of its hosts' positions; null when none is known")] double? Latitude,
    double? Longitude,
    int Hosts,
    int Gpus,
    int GpusLeased,
    IReadOnlyDictionary<string, int> GpusByModel);

// A GPU model, with the prices Ready hosts ask for it.
public sealed record AtlasModelView(
    [property: MaxLength(TextLimits.Model)] string Model,
    int Gpus,
    int GpusLeased,
    [property: Description("Null when no Ready host offers it")] decimal? LowestPriceUsdPerGpuHour,
    decimal? MedianPriceUsdPerGpuHour);
