using BenchmarkDotNet.Attributes;
using Gpunet.Core.Sanctions;

namespace Gpunet.Benchmarks;

/// <summary>One sanctions screen against a list the size of OFAC's SDN list with its aliases (40,000 names).</summary>
/// <remarks>The coordinator screens every new account and every payout address owner; the target is well under
/// 10 ms a screen on a 2-core machine.</remarks>
[MemoryDiagnoser]
public class SanctionsScreeningBenchmarks
{
    private static readonly string[] Given =
        ["Dmitri", "Samir", "Hossein", "Farhad", "Irina", "Wei", "Chol", "Luis", "Yusuf", "Rustam", "Kemal", "Oleksandr",
         "Ahmad", "Mohammad", "Ali", "Olga", "Sergei", "Ivan", "Jose", "Maria", "Abdul", "Hassan", "Kim", "Van", "Nikolai"];

    private static readonly string[] Syllables =
        ["vol", "kov", "ha", "dad", "mir", "za", "ei", "ra", "hi", "mi", "so", "ko", "lo", "va", "ka", "ri", "mov", "tan",
         "nou", "al", "mo", "ra", "les", "ve", "ga", "pak", "ryong", "nguy", "en", "zar", "ov", "ich", "en", "ko", "ba"];

    private static readonly string[] Company =
        ["TRADING", "SHIPPING", "HOLDING", "EXCHANGE", "BANK", "MARITIME", "AVIATION", "INVESTMENT", "GROUP", "INDUSTRIES"];

    private SanctionsScreener _screener = null!;
    private ScreeningSubject _clear = null!;
    private ScreeningSubject _listed = null!;
    private ScreeningSubject _reorderedTypo = null!;
    private ScreeningSubject _company = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261126);
        var entries = new List<SanctionsEntry>(20_000);
        for (var i = 0; i < 20_000; i++)
        {
            // Two names an entry (primary and one alias), as OFAC's ~18,000 entries carry ~20,000 aliases.
            var company = i % 4 == 0;
            var primary = company ? CompanyName(random) : PersonName(random);
            var alias = company ? CompanyName(random) : PersonName(random);
            BirthDate[] dobs = company ? [] : [new BirthDate(1940 + random.Next(50), 1 + random.Next(12), 1 + random.Next(28))];
            entries.Add(new SanctionsEntry($"{100_000 + i}", primary, company ? "entity" : "individual", [alias], ["SDGT"], dobs, ["IR"]));
        }

        var list = new SanctionsList("sdn-synthetic", entries);
        _screener = new SanctionsScreener(list);
        var listed = entries[12_345];
        _clear = new ScreeningSubject("Margaret Ellison", new DateOnly(1985, 4, 2), "GB");
        _listed = new ScreeningSubject(listed.PrimaryName, null, "IR");
        var words = listed.PrimaryName.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        _reorderedTypo = new ScreeningSubject(string.Join(' ', words.Reverse()).Replace('a', 'e'), null, "IR");
        _company = new ScreeningSubject("Zephyr Maritime Trading LLC", null, "AE");
    }

    [Benchmark(Baseline = true)]
    public ScreeningOutcome ClearName() => _screener.Screen(_clear).Outcome;

    [Benchmark]
    public ScreeningOutcome ListedName() => _screener.Screen(_listed).Outcome;

    [Benchmark]
    public ScreeningOutcome ReorderedNameWithTypo() => _screener.Screen(_reorderedTypo).Outcome;

    [Benchmark]
    public ScreeningOutcome CompanyNameAndCountry() => _screener.Screen(_company).Outcome;

    private static string PersonName(Random random) =>
        $"{Word(random, 2 + random.Next(2)).ToUpperInvariant()}, {Given[random.Next(Given.Length)]}" +
        (random.Next(2) == 0 ? " " + Given[random.Next(Given.Length)] : "");

    private static string CompanyName(Random random) =>
        $"{Word(random, 2 + random.Next(2)).ToUpperInvariant()} {Company[random.Next(Company.Length)]} LLC";

    private static string Word(Random random, int syllables) =>
        string.Concat(Enumerable.Range(0, syllables).Select(_ => Syllables[random.Next(Syllables.Length)]));
}
