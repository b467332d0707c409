using System.ComponentModel.DataAnnotations;
using Gpunet.Contracts.Hosts;

namespace Gpunet.Contracts.Console;

/// <summary>The first event of a host operator's live stream (<c>event: hosts</c>), sent again on every reconnection:
/// the hosts the stream follows, as <c>GET /hosts/{id}</c> shows each.</summary>
/// <param name="Total">How many hosts the wallet has registered in all.</param>
/// <param name="Hosts">The first of them (registration order, at most 50): the ones the stream follows.</param>
public sealed record HostStreamSnapshotView(int Total, [property: MaxLength(ShortLists.FollowedHosts)] IReadOnlyList<HostView> Hosts);
