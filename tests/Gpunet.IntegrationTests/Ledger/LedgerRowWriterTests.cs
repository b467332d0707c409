using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>The ledger's batched writes on SQLite and PostgreSQL: transfers and account totals together, or not at all.</summary>
public sealed class LedgerRowWriterTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static async Task<IDbContextFactory<GpunetDb>> NewStoreAsync(string provider)
    {
        var factory = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(factory, CancellationToken.None);
        await new LedgerRowWriter(factory).CreateAccountsAsync([.. Enumerable.Range(1, 3).Select(i => ((long)i, $"participant:test:{i}"))], CancellationToken.None);
        return factory;
    }

    private static LedgerTransferRecord Transfer(long id, long debit, long credit, long amount) =>
        new() { IdHigh = 0, IdLow = id, DebitAccountId = debit, CreditAccountId = credit, Amount = amount, Code = 1, Timestamp = 1_000 + id };

    // The deltas a batch of posted transfers makes, one per account.
    private static List<LedgerAccountDelta> Deltas(IEnumerable<LedgerTransferRecord> batch) =>
        [.. batch.SelectMany(t => new (long Account, long Debit, long Credit)[] { (t.DebitAccountId, t.Amount, 0L), (t.CreditAccountId, 0L, t.Amount) })
            .GroupBy(x => x.Account)
            .Select(g => new LedgerAccountDelta(g.Key, g.Sum(x => x.Debit), g.Sum(x => x.Credit), 0, 0))];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Batches_StoreTransfersAndMoveAccountTotals(string provider)
    {
        var factory = await NewStoreAsync(provider);
        var writer = new LedgerRowWriter(factory);
        var id = 0L;
        for (var b = 0; b < 3; b++)
        {
            var batch = Enumerable.Range(0, 500).Select(i => Transfer(++id, 1 + (i % 3), 1 + ((i + 1) % 3), 10 + i)).ToList();
            await writer.WriteAsync(batch, Deltas(batch), CancellationToken.None);
        }

        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(1500, await db.LedgerTransfers.CountAsync());
        var accounts = await db.LedgerAccounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        var all = await db.LedgerTransfers.AsNoTracking().ToListAsync();
        foreach (var a in accounts)
        {
            Assert.Equal(all.Where(t => t.DebitAccountId == a.Id).Sum(t => t.Amount), a.DebitsPosted);
            Assert.Equal(all.Where(t => t.CreditAccountId == a.Id).Sum(t => t.Amount), a.CreditsPosted);
        }

        Assert.Equal(accounts.Sum(a => a.DebitsPosted), accounts.Sum(a => a.CreditsPosted)); // every transfer balances
        Assert.Equal(["participant:test:1", "participant:test:2", "participant:test:3"],
            await db.LedgerAccountKeys.OrderBy(k => k.Id).Select(k => k.Key).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnAccountKeyInUse_IsRefused_AndNothingIsCreated(string provider)
    {
        var factory = await NewStoreAsync(provider);
        await Assert.ThrowsAnyAsync<Exception>(() => new LedgerRowWriter(factory).CreateAccountsAsync([(4, "participant:test:4"), (5, "participant:test:1")], CancellationToken.None));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(3, await db.LedgerAccounts.CountAsync());
        Assert.Equal(3, await db.LedgerAccountKeys.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ABatchWithAStoredTransferId_WritesNothing(string provider)
    {
        var factory = await NewStoreAsync(provider);
        var writer = new LedgerRowWriter(factory);
        var first = new List<LedgerTransferRecord> { Transfer(1, 1, 2, 100) };
        await writer.WriteAsync(first, Deltas(first), CancellationToken.None);

        var replay = new List<LedgerTransferRecord> { Transfer(2, 2, 3, 40), Transfer(1, 1, 2, 100) };
        await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(replay, Deltas(replay), CancellationToken.None));

        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(1, await db.LedgerTransfers.CountAsync());
        var totals = await db.LedgerAccounts.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.DebitsPosted, a.CreditsPosted }).ToListAsync();
        Assert.Equal([100L, 0L, 0L], totals.Select(t => t.DebitsPosted));
        Assert.Equal([0L, 100L, 0L], totals.Select(t => t.CreditsPosted));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ABatchNamingAMissingAccount_WritesNothing(string provider)
    {
        var factory = await NewStoreAsync(provider);
        var writer = new LedgerRowWriter(factory);
        var batch = new List<LedgerTransferRecord> { Transfer(1, 1, 99, 100) };
        await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(batch, Deltas(batch), CancellationToken.None));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(0, await db.LedgerTransfers.CountAsync());
        Assert.Equal(0, await db.LedgerAccounts.SumAsync(a => a.DebitsPosted));
    }
}
