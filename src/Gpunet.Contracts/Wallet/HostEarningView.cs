using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>What a host earned in one settled epoch, as its settlement recorded it (tokens): Proof of Capacity and Proof
/// of Delivery rewards and the host's share of its leases' fees (<c>earned</c> is their sum, vesting to the operator),
/// and what it gave up: slashes and SLA credits paid to its customers.</summary>
public sealed record HostEarningView(
    long Epoch,
    DateTimeOffset Start,
    DateTimeOffset End,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Capacity,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Delivery,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Fees,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Earned,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Slashed,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Credited);
