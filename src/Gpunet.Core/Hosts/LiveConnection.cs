using System.Net;

namespace Gpunet.Core.Hosts;

/// <summary>The connection (agent stream) a host's fingerprint is live on, as the coordinator sees it when the fingerprint registers again.</summary>
/// <param name="Place">The public address that stream connects from; null when unknown.</param>
/// <param name="Connected">Whether the stream is still open.</param>
/// <param name="LastHeardAt">When the host was last heard on it (UTC); null if never.</param>
public sealed record LiveConnection(IPAddress? Place, bool Connected, DateTimeOffset? LastHeardAt);
