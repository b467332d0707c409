using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>One epoch's fees and rewards vesting linearly from <c>start</c> to <c>vestedAt</c>: <c>vested</c> of
/// <c>amount</c> has vested by now (each settlement moves what has vested to available).</summary>
public sealed record VestingTrancheView(
    long Epoch,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Amount,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Vested,
    DateTimeOffset Start,
    DateTimeOffset VestedAt);
