using System.Globalization;
using BenchmarkDotNet.Attributes;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Benchmarks;

/// <summary>Planning one daily settlement of a large network: 100,000 containers of 25,000 operators, 100,000 leases
/// (half reserve, half on-demand with an open hold), 1,000 checkers, 45 days of vesting tranches, 1,000 unbonding
/// entries and 1,000 slashes.</summary>
[MemoryDiagnoser]
public class EpochSettlementBenchmarks
{
    private const long Epoch = 20_000;
    private EpochSettlementPlanner _planner = null!;
    private EpochInputs _inputs = null!;

    [Params(10_000, 100_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new EconomicsOptions();
        _planner = new EpochSettlementPlanner(options);
        var start = options.EpochStart(Epoch);
        var end = options.EpochStart(Epoch + 1);
        static Address Wallet(int n) => Address.Parse("0x" + n.ToString("x40", CultureInfo.InvariantCulture));
        static TokenAmount Tokens(long t) => TokenAmount.FromTokens(t);
        var operators = Math.Max(1, Hosts / 4);

        var hosts = Enumerable.Range(0, Hosts).Select(i => new HostEpoch(
            HostId.FromFingerprint("bench " + i.ToString(CultureInfo.InvariantCulture)), Wallet(1 + (i % operators)),
            Tokens(8000), Tokens(i % 50 == 0 ? 7000 : 8000), 8000, 86_400 - (i % 1800), i % 3 == 0 ? 0 : 8 * 3600 * (i % 24))).ToArray();
        var leases = Enumerable.Range(0, Hosts).Select(i => new LeaseEpoch(
            "lease-" + i.ToString("x12", CultureInfo.InvariantCulture), hosts[i].Host, hosts[i].Operator, Wallet(1_000_000 + (i % 10_000)),
            i % 2 == 0, Tokens(100 + (i % 300)), i % 2 == 0 ? Tokens(1000) : TokenAmount.Zero,
            i % 2 == 0 ? null : TransferId.FromParts(9, (ulong)i + 1), i % 2 == 0 ? TokenAmount.Zero : Tokens(480),
            i % 2 == 0 || i % 7 == 0 ? TokenAmount.Zero : Tokens(480), i % 7 == 0, i % 11 == 0)).ToArray();
        var checkers = Enumerable.Range(0, 1000).Select(i => new CheckerEpoch(Wallet(2_000_000 + i), 100 + (i % 50))).ToArray();
        var tranches = Enumerable.Range(0, operators * 45).Select(i => new VestingTranche(
            Wallet(1 + (i % operators)), Epoch - 1 - (i / operators), Tokens(500), Tokens(0), start - TimeSpan.FromDays(i / operators))).ToArray();
        var unbonding = Enumerable.Range(0, 1000).Select(i => new UnbondingEntry(i + 1, Wallet(1 + i), hosts[i % Hosts].Host, Tokens(8000), end.AddDays(i % 3 - 1))).ToArray();
        var slashes = Enumerable.Range(0, 1000).Select(i => new SlashEvent(
            i + 1, hosts[i * 7 % Hosts].Host, hosts[i * 7 % Hosts].Operator, i % 10 == 0 ? SlashKind.Deceit : SlashKind.Downtime, "bench", end)).ToArray();
        _inputs = new EpochInputs(Epoch, start, end, TokenAmount.FromTokens(21_000_000_000), hosts, leases, checkers, tranches, unbonding, slashes);
    }

    [Benchmark]
    public int Plan() => _planner.Plan(_inputs).Transfers.Count;
}
