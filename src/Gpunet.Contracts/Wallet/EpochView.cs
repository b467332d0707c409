using Gpunet.Core.Economics;

namespace Gpunet.Contracts.Wallet;

/// <summary>A settled epoch and what moved in it (amounts in tokens).</summary>
public sealed record EpochView(long Epoch, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset SettledAt, int Transfers, EpochTotals Totals);
