using System.ComponentModel.DataAnnotations;
using Gpunet.Contracts.Wallet;

namespace Gpunet.Contracts.Console;

/// <summary>A settled epoch paid (or took from) one of the operator's hosts (<c>event: earnings</c> of the live host
/// stream), as <c>GET /hosts/{id}/earnings</c> shows it.</summary>
public sealed record HostEpochEarningView(
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    HostEarningView Earning);
