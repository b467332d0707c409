namespace Gpunet.Core.Hosts;

/// <summary>A host that holds a GPU a registration claims.</summary>
/// <param name="Uuid">The GPU's UUID.</param>
/// <param name="HostId">The host that holds it.</param>
/// <param name="Address">That host's operator (a canonical, lower-case address).</param>
/// <param name="LastHeardAt">When any coordinator last heard that host (UTC); null if never.</param>
/// <param name="Connected">Whether that host's agent holds a stream to this coordinator now.</param>
public sealed record GpuHolder(string Uuid, string HostId, string Address, DateTimeOffset? LastHeardAt, bool Connected);
