using BenchmarkDotNet.Attributes;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Scheduling;

namespace Gpunet.Benchmarks;

/// <summary>The ledger's rules in memory: one batch of 8,190 random transfers among 100,000 funded accounts, applied
/// by <see cref="LedgerBook"/> (every id fresh, so each one is checked, posted and logged).</summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int Accounts = 100_000;
    private const int Batch = 8190;
    private LedgerBook _book = null!;
    private Transfer[] _batch = null!;
    private TransferResult[] _results = null!;
    private ulong _next;
    private SeededRandom _random = new(7);

    [GlobalSetup]
    public void Setup()
    {
        _book = new LedgerBook();
        var specs = new List<AccountSpec> { new(new AccountId(1), AccountKey.Network(AccountPurpose.Genesis)) };
        for (var i = 0; i < Accounts; i++)
            specs.Add(new AccountSpec(new AccountId(2 + i), AccountKey.Participant(Address.Parse("0x" + (i + 1).ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), AccountPurpose.Available)));
        _book.CreateAccounts(specs);
        _book.Genesis(new AccountId(1), TokenAmount.TotalSupply);
        var grants = Enumerable.Range(0, Accounts)
            .Select(i => new Transfer(TransferId.FromParts(1, ++_next), new AccountId(1), new AccountId(2 + i), TokenAmount.FromTokens(1000), 1, TransferFlags.None))
            .ToArray();
        _book.Apply(grants);
        _batch = new Transfer[Batch];
        _results = new TransferResult[Batch];
    }

    [IterationSetup]
    public void NextBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            var from = 2 + _random.NextInt(Accounts);
            var to = 2 + _random.NextInt(Accounts - 1);
            if (to >= from)
                to++;
            _batch[i] = new Transfer(TransferId.FromParts(2, ++_next), new AccountId(from), new AccountId(to), TokenAmount.FromBaseUnits(1 + _random.NextInt(100_000)), 2, TransferFlags.None);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ApplyBatch() => _book.Apply(_batch, _results);
}
