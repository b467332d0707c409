using System.Globalization;
using Gpunet.Coordinator.Concurrency;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A test network's faucet: pays a wallet from the genesis reserve, at most
/// <see cref="LedgerOptions.FaucetLimit"/> tokens per wallet per rolling day.</summary>
/// <remarks>What a wallet was given is read from the ledger's faucet transfers to it (shared by every coordinator on
/// the store, kept across restarts). Claims through this coordinator are serialised, so two at once cannot both pass
/// the check; claims through two coordinators at the same moment can still exceed the day's limit by one claim.</remarks>
internal sealed class Faucet(LedgerService ledger, IOptions<LedgerOptions> options, TimeProvider time) : IDisposable
{
    // One wallet's claims one at a time, so two at once cannot both pass the check; other wallets do not wait.
    private readonly KeyedGates _gates = new();

    /// <summary>Makes <paramref name="transfer"/> (a faucet payment) and returns the ledger's results; or, when it would take the
    /// wallet past the day's limit, moves nothing and returns the refusal, naming what remains and when it grows.</summary>
    public async Task<(TransferResult[]? Results, string? Refusal)> ClaimAsync(PlannedTransfer transfer, CancellationToken ct)
    {
        var limit = TokenAmount.FromTokens(options.Value.FaucetLimit);
        var gate = _gates.Of(transfer.Credit.Owner);
        await gate.WaitAsync(ct);
        try
        {
            // A retry of a claim already made is answered by the ledger (replayed, or a conflict), not refused again.
            if (!await ledger.HasTransferAsync(transfer.Id, ct))
            {
                var now = time.GetUtcNow();
                var claims = await ClaimsAsync(transfer.Credit, now - FaucetAllowance.Window, ct);
                var remaining = FaucetAllowance.Remaining(limit, claims, now);
                if (transfer.Amount > remaining)
                {
                    var grows = FaucetAllowance.GrowsAt(claims, now);
                    return (null, string.Create(CultureInfo.InvariantCulture,
                        $"the faucet gives each wallet at most {limit} tokens a day; {remaining} remain for this wallet until {grows ?? now:yyyy-MM-dd HH:mm:ss} UTC"));
                }
            }

            return (await ledger.SubmitAsync([transfer], ct), null);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Faucet transfers into <paramref name="account"/> since <paramref name="since"/>, newest first.</summary>
    private async Task<List<(TokenAmount Amount, DateTimeOffset At)>> ClaimsAsync(AccountKey account, DateTimeOffset since, CancellationToken ct)
    {
        const int Page = 500;
        var claims = new List<(TokenAmount, DateTimeOffset)>();
        long? before = null;
        while (true)
        {
            var entries = await ledger.HistoryAsync([account], Page, before, ct);
            foreach (var e in entries)
            {
                if (e.At <= since)
                    return claims;
                if (e.Code == TransferCode.Faucet && e.Credit == account)
                    claims.Add((e.Amount, e.At));
            }

            if (entries.Count < Page)
                return claims;
            before = entries[^1].Sequence;
        }
    }

    public void Dispose() => _gates.Dispose();
}
