using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Hosts;

namespace Gpunet.Contracts.Hosts;

/// <summary>A host as the API shows it.</summary>
/// <param name="PublicIp">Shown to operators (admin token) only; null for everyone else.</param>
/// <param name="PriceUsdPerGpuHour">The host's ask, USD per GPU-hour.</param>
/// <param name="LastHeartbeatAt">UTC time of the last heartbeat (or registration); null if never heard.</param>
/// <param name="Staked">Tokens staked behind this container.</param>
/// <param name="RequiredStake">What its GPUs require (K(model) × coefficient each) before it is matched.</param>
/// <param name="Paused">True while its stake is below the requirement (and the network requires stake): not matched
/// until its operator tops it up.</param>
/// <param name="Reputation">0 (worst) to 1 (best) from its track record over the last 30 days (capacity checks passed,
/// uptime, leases completed); 0.5 with no record. The <c>best-experience</c> and <c>balanced</c> rankings use it.</param>
/// <param name="MeasuredLatitude">Where checkers' round trips place the host, when they contradict its declared place
/// (the latency ranking and <c>maxLatencyMs</c> then use it); null while the declared place stands.</param>
/// <param name="MeasuredLongitude">With <paramref name="MeasuredLatitude"/>.</param>
public sealed record HostView(
    [property: RegularExpression(ApiPatterns.HostId)] string Id, [property: RegularExpression(ApiPatterns.Address)] string Address, [property: EnumNames(typeof(HostState))] string State,
    [property: MaxLength(TextLimits.Reason)] string StateReason, DateTimeOffset StateSince, [property: RegularExpression(ApiPatterns.Country)] string Country, [property: MaxLength(TextLimits.Region)] string Region, double Latitude, double Longitude, [property: MaxLength(TextLimits.Label)] string? PublicIp, [property: MaxLength(TextLimits.Hostname)] string Hostname,
    decimal PriceUsdPerGpuHour, DateTimeOffset RegisteredAt, DateTimeOffset? LastHeartbeatAt, bool Connected,
    long Heartbeats, bool Simulated, [property: MaxLength(TextLimits.Version)] string DriverVersion, [property: MaxLength(TextLimits.CudaVersion)] string CudaVersion, [property: MaxLength(ShortLists.GpusPerHost)] IReadOnlyList<GpuView> Gpus,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Staked = "0", [property: RegularExpression(ApiPatterns.TokenAmount)] string RequiredStake = "0", bool Paused = false,
    [property: Range(0.0, 1.0)] double Reputation = 0.5, double? MeasuredLatitude = null, double? MeasuredLongitude = null);
