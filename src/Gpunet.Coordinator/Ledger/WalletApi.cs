using System.Data.Common;
using System.Security.Claims;
using System.Security.Cryptography;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Wallets over REST: a participant sees and moves only their own money; an operator can look at anyone's and
/// records deposits.</summary>
internal static class WalletApi
{
    private static readonly ListLimit EpochsLimit = new(Default: 30, Maximum: 1000);

    private static readonly ListLimit HistoryLimit = new(Default: 50, Maximum: 1000);

    public static RouteGroupBuilder MapWalletApi(this RouteGroupBuilder api)
    {
        var wallet = api.MapGroup("/wallet").WithTags("Wallet");
        wallet.MapGet("/", Balance).WithName("WalletBalance")
            .WithSummary("Your balances")
            .WithDescription("Your balances: available, held for leases, staked per host (with what each host needs), unbonding and vesting, with the unbonding and vesting schedules")
            .WithParameter("address", OpenApiContract.AddressPattern).ProducesProblem(StatusCodes.Status404NotFound);
        wallet.MapGet("/history", History).WithName("WalletHistory").WithSummary("Your transfers")
            .WithDescription("Transfers in and out of your accounts, newest first")
            .WithParameter("address", OpenApiContract.AddressPattern).WithListLimit(HistoryLimit).WithParameter("before", minimum: 0)
            .ProducesProblem(StatusCodes.Status404NotFound);
        wallet.MapPost("/deposit", Deposit).WithName("WalletDeposit")
            .WithSummary("Deposit tokens")
            .WithDescription("Credits tokens: an operator records a deposit to any address; on a network with a faucet (devnet) anyone can take up to its limit a day")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        wallet.MapPost("/withdraw", Withdraw).WithName("WalletWithdraw").WithSummary("Withdraw tokens")
            .WithDescription("Withdraws available tokens (needs approved KYC)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        wallet.MapPost("/stake", Stake).WithName("WalletStake")
            .WithSummary("Stake behind a host")
            .WithDescription("Stakes available tokens behind one of your hosts; the host's stake must reach what its GPUs require")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        wallet.MapPost("/unstake", Unstake).WithName("WalletUnstake")
            .WithSummary("Unstake").WithDescription("Moves stake into unbonding; it becomes available after the unbonding period (180 days by default)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/ledger/verify", Verify).WithTags("Wallet").WithName("LedgerVerify").RequireAuthorization(GpunetPolicies.Operator)
            .WithSummary("Audit the ledger")
            .WithDescription("Operator: audits the stored ledger: every transfer balances, balances sum to the total supply, no account is below zero")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/hosts/{id}/slashes", Slash).WithTags("Wallet").WithName("RecordSlash")
            .WithSummary("Record a slash")
            .WithDescription("Operator: records a broken promise (deceit, or downtime while serving) for the next settlement to slash")
            .WithParameter("id", OpenApiContract.HostIdPattern).RequireAuthorization(GpunetPolicies.Operator)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/epochs", Epochs).WithTags("Wallet").WithName("ListEpochs")
            .WithSummary("List settled epochs")
            .WithDescription("Settled epochs, newest first: fees, protocol fees, emission, rewards, slashes, refunds and releases")
            .WithListLimit(EpochsLimit);
        return api;
    }

    private static async Task<Results<Created<SlashView>, ProblemHttpResult>> Slash(
        string id, SlashRequest request, HostRegistry registry, IDbContextFactory<GpunetDb> dbFactory, TimeProvider time, CancellationToken ct)
    {
        if (request.Kind is not ("deceit" or "downtime"))
            return Problems.Field("kind", "deceit (deceiving the matcher or delivering well below the claimed spec) or downtime (offline while serving)");
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
            return Problems.Field("reason", "say what happened, in at most 500 characters");
        if (!registry.TryGet(id, out var host))
            return Problems.NotFound($"no host {id}");
        var record = new SlashEventRecord { HostId = host.Id, Operator = host.Record.Address, Kind = request.Kind, Reason = request.Reason.Trim(), At = time.GetUtcNow() };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.SlashEvents.Add(record);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/hosts/{host.Id}", new SlashView(record.Id, record.HostId, record.Kind, record.Reason, record.At));
    }

    private static async Task<Results<Ok<List<EpochView>>, ProblemHttpResult>> Epochs(int? limit, IDbContextFactory<GpunetDb> dbFactory, CancellationToken ct)
    {
        if (EpochsLimit.Refuse(limit) is { } refused)
            return refused;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Epochs.AsNoTracking().OrderByDescending(e => e.Epoch).Take(EpochsLimit.Of(limit)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(EpochView.Of).ToList());
    }

    private static Address? Caller(ClaimsPrincipal user) =>
        Address.TryParse(user.FindFirstValue(GpunetClaims.Address), out var a, out _) ? a : null;

    private static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(GpunetClaims.AdminRole);

    // Whose wallet a request is about: the caller's own; an operator names one with `address`.
    private static (Address? Address, ProblemHttpResult? Problem) Whose(ClaimsPrincipal user, string? address)
    {
        if (address is null)
        {
            return Caller(user) is { } self
                ? (self, null)
                : (null, Problems.Field("address", "an operator has no wallet of their own: name one with ?address=0x…"));
        }

        if (!ApiInput.TryAddress(address, out var named, out var error))
            return (null, Problems.Field("address", error));
        if (!IsAdmin(user) && Caller(user) != named)
            return (null, Problems.NotFound($"no wallet {named} of yours"));
        return (named, null);
    }

    private static async Task<Results<Ok<WalletView>, ProblemHttpResult>> Balance(
        ClaimsPrincipal user, string? address, LedgerService ledger, HostRegistry registry, HostStakes stakes, IDbContextFactory<GpunetDb> dbs,
        EconomicsOptions economics, TimeProvider time, CancellationToken ct)
    {
        var (who, problem) = Whose(user, address);
        if (problem is not null)
            return problem;
        var view = await WalletView.ReadAsync(who!.Value, ledger, registry, stakes, ct);
        var (unbonding, vesting) = await WalletSchedules.ReadAsync(who.Value, dbs, economics, time.GetUtcNow(), ct);
        return TypedResults.Ok(view with { UnbondingSchedule = unbonding, VestingSchedule = vesting });
    }

    private static async Task<Results<Ok<List<HistoryView>>, ProblemHttpResult>> History(
        ClaimsPrincipal user, string? address, int? limit, long? before, LedgerService ledger, HostRegistry registry, ITransferReasons reasons, CancellationToken ct)
    {
        var (who, problem) = Whose(user, address);
        if (problem is not null)
            return problem;
        if (HistoryLimit.Refuse(limit) is { } refused)
            return refused;
        var keys = WalletView.Keys(who!.Value, registry);
        var own = keys.ToHashSet();
        var entries = await ledger.HistoryAsync(keys, HistoryLimit.Of(limit), before, ct);
        var why = await reasons.ReasonsAsync([.. entries.Where(e => e.Code == TransferCode.SlaCredit).Select(e => e.Id)], ct);
        return TypedResults.Ok(entries.Select(e => HistoryView.Of(e, own) with { Reason = why.GetValueOrDefault(e.Id) }).ToList());
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> Deposit(
        WalletRequest request, ClaimsPrincipal user, LedgerService ledger, Faucet faucet, IOptions<LedgerOptions> options, CancellationToken ct)
    {
        if (!Parse(request, out var amount, out var id, out var problem))
            return problem;
        Address to;
        TransferCode code;
        if (IsAdmin(user))
        {
            if (!ApiInput.TryAddress(request.To, out to, out var error))
                return Problems.Field("to", request.To is null ? "an operator deposits to an address: give \"to\"" : error);
            code = TransferCode.Deposit;
        }
        else
        {
            var limit = options.Value.FaucetLimit;
            if (limit <= 0)
                return Problems.Field("amount", "deposits are recorded by the network operator when tokens arrive; this network has no faucet");
            if (amount > TokenAmount.FromTokens(limit))
                return Problems.Field("amount", $"the faucet gives at most {limit} tokens at a time");
            // Compare parsed addresses: a checksummed (mixed-case) spelling of your own address is still yours.
            if (request.To is not null && (!ApiInput.TryAddress(request.To, out var named, out _) || named != Caller(user)))
                return Problems.Field("to", "the faucet pays only your own wallet");
            to = Caller(user)!.Value;
            code = TransferCode.Faucet;
        }

        var transfer = new PlannedTransfer(id, AccountKey.Network(AccountPurpose.Genesis), AccountKey.Participant(to, AccountPurpose.Available), amount, code);
        if (code != TransferCode.Faucet)
            return await SubmitAsync(ledger, transfer, ct);
        var (results, refusal) = await faucet.ClaimAsync(transfer, ct);
        return refusal is not null
            ? TypedResults.Problem(detail: $"amount: {refusal}", statusCode: StatusCodes.Status429TooManyRequests, title: "Faucet limit reached",
                extensions: new Dictionary<string, object?> { ["field"] = "amount" })
            : await AnswerAsync(ledger, transfer, results!, ct);
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> Withdraw(
        WalletRequest request, ClaimsPrincipal user, LedgerService ledger, IWithdrawalGate gate, CancellationToken ct)
    {
        if (!Parse(request, out var amount, out var id, out var problem))
            return problem;
        if (Caller(user) is not { } from)
            return Problems.Field("address", "an operator has no wallet to withdraw from");
        if (await gate.BlockedAsync(from, ct) is { } reason)
            return TypedResults.Problem(detail: reason, statusCode: StatusCodes.Status403Forbidden, title: "Withdrawal not allowed");
        var transfer = new PlannedTransfer(id, AccountKey.Participant(from, AccountPurpose.Available), AccountKey.Network(AccountPurpose.Genesis), amount, TransferCode.Withdrawal);
        return await SubmitAsync(ledger, transfer, ct);
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> Stake(
        WalletRequest request, ClaimsPrincipal user, LedgerService ledger, HostRegistry registry, HostStakes stakes, CancellationToken ct)
    {
        if (!Parse(request, out var amount, out var id, out var problem))
            return problem;
        if (!OwnHost(user, request.Host, registry, out var operatorAddress, out var host, out problem))
            return problem;
        var required = stakes.Required(host);
        var key = AccountKey.HostStake(HostId.TryParse(host.Id, out var hostId) ? hostId.Value : throw new InvalidOperationException(host.Id));
        var staked = (await ledger.AccountsAsync([key], ct))[0]?.Balance ?? TokenAmount.Zero;
        // A retry is answered by the ledger (replayed, or a conflict), not refused for what the stake is now.
        if (staked + amount < required && !await ledger.HasTransferAsync(id, ct))
        {
            return Problems.Field("amount",
                $"{host.Id} needs {required} tokens staked ({host.Record.Gpus.Count} GPUs); it has {staked}, so stake at least {required - staked}");
        }

        var transfer = new PlannedTransfer(id, AccountKey.Participant(operatorAddress, AccountPurpose.Available), key, amount, TransferCode.Stake);
        return await SubmitAsync(ledger, transfer, ct);
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> Unstake(
        WalletRequest request, ClaimsPrincipal user, LedgerService ledger, HostRegistry registry, EconomicsOptions economics, TimeProvider time, CancellationToken ct)
    {
        if (!Parse(request, out var amount, out var id, out var problem))
            return problem;
        if (!OwnHost(user, request.Host, registry, out var operatorAddress, out var host, out problem))
            return problem;
        var key = AccountKey.HostStake(HostId.TryParse(host.Id, out var hostId) ? hostId.Value : throw new InvalidOperationException(host.Id));
        var staked = (await ledger.AccountsAsync([key], ct))[0]?.Balance ?? TokenAmount.Zero;
        if (amount > staked && !await ledger.HasTransferAsync(id, ct))
            return Problems.Field("amount", $"{host.Id} has {staked} tokens staked; you cannot unstake {amount}");
        var now = time.GetUtcNow();
        var releaseAt = now + economics.UnbondingPeriod;
        var transfer = new PlannedTransfer(id, key, AccountKey.Participant(operatorAddress, AccountPurpose.Unbonding), amount, TransferCode.Unstake);
        // The unbonding entry commits with the transfer, and only if it moved.
        return await SubmitAsync(ledger, transfer, ct, (connection, tx, results, token) => results[0] == TransferResult.Ok
            ? UnbondingStore.InsertAsync(connection, tx, id, operatorAddress, host.Id, amount, now, releaseAt, token)
            : Task.CompletedTask);
    }

    // The audit reads every account and transfer: the operator policy on the route refuses anyone else before that work.
    private static async Task<Ok<LedgerAuditResult>> Verify(LedgerService ledger, CancellationToken ct)
    {
        return TypedResults.Ok(await ledger.VerifyStoreAsync(ct));
    }

    private static bool OwnHost(
        ClaimsPrincipal user, string? hostText, HostRegistry registry, out Address operatorAddress, out HostEntry host, out ProblemHttpResult problem)
    {
        operatorAddress = default;
        host = null!;
        problem = null!;
        if (!HostId.TryParse(hostText, out var hostId))
        {
            problem = Problems.Field("host", hostText is null ? "name the host: host-…" : $"'{hostText}' is not a host id (host- and 12 hex digits)");
            return false;
        }

        // Only the host's operator moves its stake: the network operator has no say over someone's money.
        if (!registry.TryGet(hostId.Value.Value, out var entry) || entry.Record.Address != Caller(user)?.Value)
        {
            problem = Problems.NotFound($"no host {hostId} of yours");
            return false;
        }

        host = entry;
        operatorAddress = Address.Parse(entry.Record.Address);
        return true;
    }

    private static bool Parse(WalletRequest request, out TokenAmount amount, out TransferId id, out ProblemHttpResult problem)
    {
        amount = default;
        id = default;
        problem = null!;
        if (!ApiInput.TryAmount(request.Amount, out amount, out var error))
        {
            problem = Problems.Field("amount", error);
            return false;
        }

        if (amount.IsZero)
        {
            problem = Problems.Field("amount", "must be more than zero");
            return false;
        }

        if (request.Id is null)
        {
            id = new TransferId(BitConverter.ToUInt128(RandomNumberGenerator.GetBytes(16)) | 1);
        }
        else if (!TransferId.TryParse(request.Id, out id) || id.Value == UInt128.Zero)
        {
            problem = Problems.Field("id", "a transfer id is 32 hex digits, not all zero (choose one per request, and reuse it to retry)");
            return false;
        }

        return true;
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> SubmitAsync(
        LedgerService ledger, PlannedTransfer transfer, CancellationToken ct,
        Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task>? inTransaction = null)
    {
        var results = inTransaction is null
            ? await ledger.SubmitAsync([transfer], ct)
            : await ledger.SubmitAsync([transfer], inTransaction, ct);
        return await AnswerAsync(ledger, transfer, results, ct);
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> AnswerAsync(
        LedgerService ledger, PlannedTransfer transfer, TransferResult[] results, CancellationToken ct)
    {
        var result = results[0];
        if (result is TransferResult.Ok or TransferResult.Exists)
            return TypedResults.Ok(TransferView.Of(transfer, result == TransferResult.Exists));
        var accounts = await ledger.AccountsAsync([transfer.Debit], ct);
        return TypedResults.Problem(
            detail: result switch
            {
                TransferResult.InsufficientFunds => $"insufficient funds: {transfer.Debit} has {accounts[0]?.Available ?? TokenAmount.Zero} available, the transfer needs {transfer.Amount}",
                TransferResult.ExistsWithDifferentFields => $"transfer id {transfer.Id} is already used by a different transfer",
                _ => $"refused: {result}",
            },
            statusCode: result == TransferResult.ExistsWithDifferentFields ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            title: "Transfer refused",
            extensions: new Dictionary<string, object?> { ["result"] = result.ToString() });
    }
}
