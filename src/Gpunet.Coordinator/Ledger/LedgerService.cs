using System.Data.Common;
using System.Threading.Channels;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The coordinator's ledger: one writer that applies transfers by the ledger's rules (<see cref="LedgerReplica"/>)
/// and makes them durable in batches (<see cref="ILedgerStore"/>) before anyone is told they happened.</summary>
/// <remarks>
/// <para>Requests queue; one loop takes what has queued (up to <see cref="MaxBatch"/> transfers), applies it in memory,
/// and writes the transfers, the new accounts and the accounts' totals in one transaction. A request is answered only
/// once its batch has committed. Reads wait for a batch being written, so nobody sees a balance that is not durable.</para>
/// <para>At start the ledger is loaded from the store; on a fresh store the supply is created once at genesis and the
/// emission pool seeded from it. Several coordinators may share a store: every batch bumps the store's ledger version
/// and commits only if nobody else wrote since (optimistic concurrency); on a conflict the ledger is reloaded and the
/// batch decided again. Reads look at the store's version first and reload when another coordinator has written, so
/// no coordinator shows a balance the store has moved past.</para>
/// <para>Memory is bounded: the copy keeps the accounts, the open pending transfers and the most recent transfers
/// (<paramref name="recentTransfers"/>, see <see cref="LedgerReplica"/>). A request naming an older transfer is decided
/// against the store: the pending transfers its posts and voids name are looked up before deciding, and a batch the
/// store refuses (an old id re-sent) is decided again with its ids looked up by primary key.</para>
/// </remarks>
internal sealed partial class LedgerService(
    ILedgerStore store, TimeProvider time, LedgerGenesis genesis, ILogger<LedgerService> log, int recentTransfers = LedgerReplica.DefaultRecentTransfers)
    : BackgroundService
{
    /// <summary>Transfers per batch, at most (a single request larger than this is written alone).</summary>
    public const int MaxBatch = 16_380;

    /// <summary>Requests with a transaction step of their own (an order stored with its escrow) per batch, at most.</summary>
    public const int MaxSteps = 256;

    /// <summary>The id of the transfer that seeds the emission pool at genesis.</summary>
    public static readonly TransferId EmissionSeedId = TransferId.FromParts(0x4745_4e45_5349_5300, 1); // "GENESIS\0", 1

    private readonly Channel<LedgerRequest> _queue = Channel.CreateUnbounded<LedgerRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LedgerReplica _replica = new(store, time, recentTransfers);
    private readonly HostStakeIndex _stakes = new();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!_replica.HasGenesis)
            await GenesisAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Applies <paramref name="transfers"/> in order (linked chains all or nothing) and returns one result per
    /// transfer once they are durable. Accounts named that do not exist yet are created.</summary>
    public Task<TransferResult[]> SubmitAsync(IReadOnlyList<PlannedTransfer> transfers, CancellationToken ct) =>
        Enqueue(transfers, null, ct);

    /// <summary>Like <see cref="SubmitAsync(IReadOnlyList{PlannedTransfer}, CancellationToken)"/>, with more work that
    /// commits in the same transaction, given the transfers' results; if it throws, nothing of the batch is written and
    /// the task fails with its exception.</summary>
    public Task<TransferResult[]> SubmitAsync(
        IReadOnlyList<PlannedTransfer> transfers, Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task> inTransaction, CancellationToken ct) =>
        Enqueue(transfers, inTransaction, ct);

    /// <summary>Like <see cref="SubmitAsync(IReadOnlyList{PlannedTransfer}, Func{DbConnection, DbTransaction, TransferResult[], CancellationToken, Task}, CancellationToken)"/>,
    /// with <paramref name="prelude"/> first in the same transaction: work that needs no result, which a large batch
    /// writes while its transfers are still being decided (<see cref="LedgerStream"/>).</summary>
    public Task<TransferResult[]> SubmitAsync(
        IReadOnlyList<PlannedTransfer> transfers, Func<DbConnection, DbTransaction, CancellationToken, Task> prelude,
        Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task> inTransaction, CancellationToken ct) =>
        Enqueue(transfers, inTransaction, ct, prelude);

    private Task<TransferResult[]> Enqueue(
        IReadOnlyList<PlannedTransfer> transfers, Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task>? inTransaction, CancellationToken ct,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? prelude = null)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        ct.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<TransferResult[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new LedgerRequest(transfers, inTransaction, done, prelude)))
            throw new InvalidOperationException("the ledger is shutting down");
        return done.Task;
    }

    /// <summary>The stake a container (host id) has, durable; readable from any thread without waiting.</summary>
    public TokenAmount StakeOf(string hostId) => _stakes.Of(hostId);

    /// <summary>Changes whenever some container's stake changes (so the market retries orders waiting for staked hosts).</summary>
    public long StakeVersion => _stakes.Version;

    /// <summary>The accounts with these keys as they stand (durable); a key without an account gets null.</summary>
    public Task<LedgerAccount?[]> AccountsAsync(IReadOnlyList<AccountKey> keys, CancellationToken ct) => ReadAsync(r => r.Accounts(keys), ct);

    /// <summary>Transfers that moved money in or out of any of these accounts, newest first.</summary>
    /// <param name="before">Only transfers older than this log position (for paging); null for the newest.</param>
    public async Task<IReadOnlyList<LedgerHistoryEntry>> HistoryAsync(IReadOnlyList<AccountKey> keys, int limit, long? before, CancellationToken ct) =>
        await ReadThroughAsync(r => r.HistoryAsync(keys, limit, before, ct), ct);

    /// <summary>Whether a transfer with this id is in the ledger: a retry of it moves nothing, whatever the balances now.</summary>
    public Task<bool> HasTransferAsync(TransferId id, CancellationToken ct) => ReadThroughAsync(r => r.HasTransferAsync(id, ct), ct);

    /// <summary>Transfers this coordinator holds in memory (bounded; see <see cref="LedgerReplica"/>).</summary>
    internal int KeptTransferCount => _replica.KeptTransferCount;

    /// <summary>Audits the store (not this coordinator's memory): every transfer balances, the balances sum to the
    /// supply created at genesis, no account is below zero, and every account's totals are what its transfers give.</summary>
    public async Task<LedgerAuditResult> VerifyStoreAsync(CancellationToken ct)
    {
        // Operator-only and rare: the audit replays the whole log, so it holds it while it runs.
        var transfers = new List<Transfer>();
        var stored = await store.ReadAsync(transfers.Add, ct);
        var audit = LedgerAudit.Verify(stored.GenesisAccount, stored.GenesisTotal, stored.Accounts, transfers);
        Audited?.Invoke(audit);
        return audit;
    }

    /// <summary>Raised when a batch is durable, with each request's results (for metrics; called under the ledger's lock).</summary>
    public event Action<TransferResult[][]>? Written;

    /// <summary>Raised after each audit of the store (for metrics).</summary>
    public event Action<LedgerAuditResult>? Audited;

    /// <summary>Reloads if another coordinator wrote the shared ledger since this one last read it, so that stake placed
    /// through another coordinator counts in this one's matcher. Skipped (false) while a batch is being written.</summary>
    public async Task<bool> TryRefreshAsync(CancellationToken ct)
    {
        if (!await _gate.WaitAsync(0, ct))
            return false;
        try
        {
            await CatchUpAsync(ct);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<T> ReadAsync<T>(Func<LedgerReplica, T> read, CancellationToken ct) => ReadThroughAsync(r => Task.FromResult(read(r)), ct);

    // Reads that may go to the store (history, ids older than memory) still wait for a batch being written.
    private async Task<T> ReadThroughAsync<T>(Func<LedgerReplica, Task<T>> read, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(ct);
            return await read(_replica);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<LedgerRequest>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var count = 0;
                var steps = 0;
                while (count < MaxBatch && _queue.Reader.TryPeek(out var next))
                {
                    // Work with its own transaction step (an order stored with its escrow) joins a batch too, up to
                    // MaxSteps: if one step fails, the batch is written again request by request (ProcessAsync).
                    if (group.Count > 0 && (count + next.Transfers.Count > MaxBatch || (HasStep(next) && steps == MaxSteps)))
                        break;
                    _queue.Reader.TryRead(out _);
                    group.Add(next);
                    count += next.Transfers.Count;
                    if (HasStep(next))
                        steps++;
                }

                await ProcessAsync(group, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
            left.Done.TrySetException(new InvalidOperationException("the ledger stopped before this request was written"));
    }

    private async Task ProcessAsync(List<LedgerRequest> group, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await WriteAsync(group, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Decides a group and writes it in one transaction; called under the gate.
    private async Task WriteAsync(List<LedgerRequest> group, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _replica.RecallAsync(group, ids: false, ct);
            // A large batch is written while it is decided: the store writes each slice while the next is decided.
            var streamed = group.Sum(w => w.Transfers.Count) > 2 * LedgerReplica.SliceSize ? Stream(group, ct) : null;
            var decided = streamed is null ? _replica.Decide(group) : streamed.Decide();
            if (_replica.RefusedUnknown(group, decided) is { Count: > 0 } refused && (await store.FindAsync(refused, ct)).Count > 0)
            {
                // A refused id older than memory is a stored transfer re-sent: undo, look the ids up, decide again.
                if (streamed is not null)
                    await streamed.AbandonAsync();
                streamed = null;
                await LoadAsync(ct);
                await _replica.RecallAsync(group, ids: true, ct);
                decided = _replica.Decide(group);
            }

            try
            {
                await (streamed?.FinishAsync(decided.Write) ?? store.WriteAsync(decided.Write, ct));
                _replica.Written(decided);
                _stakes.Note(_replica.Changed(decided.Write));
                for (var i = 0; i < group.Count; i++)
                    group[i].Done.TrySetResult(decided.Results[i]);
                Written?.Invoke(decided.Results);
                return;
            }
            catch (LedgerConflictException) when (attempt < 5)
            {
                LogConflict(log, attempt);
                await LoadAsync(ct);
            }
            catch (Exception e)
            {
                // Memory holds a batch the store refused: go back to what the store holds. If the store holds some
                // of the batch's ids (older than what memory keeps), decide again knowing them.
                await LoadAsync(CancellationToken.None);
                if (attempt < 5 && await _replica.RecallAsync(group, ids: true, ct))
                {
                    LogRecalled(log, attempt);
                    continue;
                }

                if (group.Count > 1 && group.Any(HasStep))
                {
                    // One request's own step failed the batch: each request alone, so it fails nobody else.
                    foreach (var w in group)
                        await WriteAsync([w], ct);
                    return;
                }

                LogNotWritten(log, e, group.Sum(w => w.Transfers.Count));
                foreach (var w in group)
                    w.Done.TrySetException(e);
                return;
            }
        }
    }

    private static bool HasStep(LedgerRequest request) => request.InTransaction is not null || request.Prelude is not null;

    // Starts the store's write of a streamed batch; the group is decided into it (StreamedWrite.Decide).
    private StreamedWrite Stream(List<LedgerRequest> group, CancellationToken ct)
    {
        var slices = Channel.CreateUnbounded<LedgerSlice>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var rest = new TaskCompletionSource<LedgerWrite>(TaskCreationOptions.RunContinuationsAsynchronously);
        var head = new LedgerWrite(_replica.Version, [], [], [], null, LedgerReplica.Prelude(group));
        var writing = Task.Run(() => store.WriteAsync(new LedgerStream(head, slices.Reader, rest.Task), ct), ct);
        return new StreamedWrite(() => _replica.Decide(group, slices.Writer), slices.Writer, rest, writing);
    }

    // Creates the network's accounts and the whole supply, and seeds the emission pool: one batch.
    private async Task GenesisAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var (batch, account) = _replica.Genesis(genesis.EmissionPool, EmissionSeedId);
            try
            {
                await store.WriteGenesisAsync(batch.Write, account, TokenAmount.TotalSupply, ct);
                _replica.Written(batch);
                LogGenesis(log, TokenAmount.TotalSupply, genesis.EmissionPool);
            }
            catch (Exception e) when (e is LedgerConflictException or DbException or DbUpdateException)
            {
                // Another coordinator made the genesis first: take theirs.
                LogGenesisTaken(log);
                await LoadAsync(ct);
                if (!_replica.HasGenesis)
                    throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Another coordinator sharing the store may have written since this one last read or wrote: a read must not show a
    // ledger the store has moved past. One look at the version; the whole ledger is reloaded only when it moved.
    private async Task CatchUpAsync(CancellationToken ct)
    {
        var stored = await store.VersionAsync(ct);
        if (stored != _replica.Version)
            await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        _stakes.Reset(await _replica.LoadAsync(ct));
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Another coordinator wrote the ledger; reloading and deciding the batch again (attempt {Attempt})")]
    private static partial void LogConflict(ILogger logger, int attempt);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "A ledger batch of {Transfers} transfers was not written")]
    private static partial void LogNotWritten(ILogger logger, Exception e, int transfers);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Information, Message = "Ledger genesis: {Supply} tokens created, {Pool} in the emission pool")]
    private static partial void LogGenesis(ILogger logger, TokenAmount supply, TokenAmount pool);

    [LoggerMessage(EventId = 4026, Level = LogLevel.Information, Message = "A ledger batch names transfers older than memory holds; deciding it again with them looked up in the store (attempt {Attempt})")]
    private static partial void LogRecalled(ILogger logger, int attempt);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Another coordinator created the ledger's genesis; loading it")]
    private static partial void LogGenesisTaken(ILogger logger);
}
