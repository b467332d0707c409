namespace Gpunet.Coordinator.Api;

/// <summary>A host as the API shows it.</summary>
/// <param name="PublicIp">Shown to operators (admin token) only; null for everyone else.</param>
/// <param name="PriceUsdPerGpuHour">The host's ask, USD per GPU-hour.</param>
/// <param name="LastHeartbeatAt">UTC time of the last heartbeat (or registration); null if never heard.</param>
public sealed record HostView(
    string Id, string Address, string State, string StateReason, DateTimeOffset StateSince,
    string Country, string Region, double Latitude, double Longitude, string? PublicIp, string Hostname,
    decimal PriceUsdPerGpuHour, DateTimeOffset RegisteredAt, DateTimeOffset? LastHeartbeatAt, bool Connected,
    long Heartbeats, bool Simulated, string DriverVersion, string CudaVersion, IReadOnlyList<GpuView> Gpus);
