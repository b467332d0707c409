using System.Globalization;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>The run's hosts, checkers and honeypots, drawn from the seed.</summary>
internal sealed class VerificationWorld
{
    /// <summary>Models honest hosts and cheaters claim, data-centre and consumer cards alike.</summary>
    private static readonly string[] ClaimedModels =
    [
        "H100-SXM5-80GB", "H100-PCIe-80GB", "H200-SXM-141GB", "A100-SXM4-80GB", "L40S-48GB", "RTX-4090-24GB",
        "RTX-5090-32GB", "RTX-3090-24GB", "A10-24GB", "L4-24GB",
    ];

    private static readonly int[] GpuCounts = [1, 2, 4, 8];

    private VerificationWorld(List<SimulatedHost> hosts, List<SimulatedChecker> checkers, SimulatedHost downHoneypot, SimulatedHost slowHoneypot)
    {
        Hosts = hosts;
        Checkers = checkers;
        DownHoneypot = downHoneypot;
        SlowHoneypot = slowHoneypot;
    }

    public List<SimulatedHost> Hosts { get; }

    public List<SimulatedChecker> Checkers { get; }

    /// <summary>A planted host that never answers: a liveness pass on it is a lie.</summary>
    public SimulatedHost DownHoneypot { get; }

    /// <summary>A planted host claiming an H100 with an RTX 4090 that answers correctly but late: a capacity pass on it is a lie.</summary>
    public SimulatedHost SlowHoneypot { get; }

    public static VerificationWorld Build(VerificationOptions o, SimRandom random, int totalMinutes)
    {
        var checkers = new List<SimulatedChecker>(o.Checkers);
        var lazy = (int)Math.Round(o.Checkers * o.LazyCheckers);
        var failing = Math.Min(o.Checkers - lazy, (int)Math.Round(o.Checkers * o.FailingCheckers));
        var wary = Math.Min(o.Checkers - lazy - failing, (int)Math.Round(o.Checkers * o.WaryLazyCheckers));
        // One draw for all three, the lazy first: a run without failing or wary checkers draws as it did before they existed.
        var picked = Pick(random, o.Checkers, lazy + failing + wary);
        var lazyIndexes = picked[..lazy];
        var failingIndexes = picked[lazy..(lazy + failing)];
        var waryIndexes = picked[(lazy + failing)..];
        for (var i = 0; i < o.Checkers; i++)
        {
            var city = DataCentres.Cities[i % DataCentres.Cities.Length];
            // A second lap of the cities puts checkers beside the first ones, 30 to 150 km off.
            var at = i < DataCentres.Cities.Length ? city.At : DataCentres.Destination(city.At, random.Next() * 360, 30 + (random.Next() * 120));
            checkers.Add(new SimulatedChecker(i, AddressOf(0xC4EC_0000 + i), at, city.Country, lazyIndexes.Contains(i), failingIndexes.Contains(i),
                new Outages(random, totalMinutes, o.CheckerMeanDaysBetweenOutages * 1440, o.CheckerMeanOutageMinutes), waryIndexes.Contains(i)));
        }

        var cheaters = (int)Math.Round(o.Hosts * o.Cheaters);
        var spoofers = Math.Min(o.Hosts - cheaters, (int)Math.Round(o.Hosts * o.LocationSpoofers));
        var chosen = Pick(random, o.Hosts, cheaters + spoofers);
        var cheatOf = new Dictionary<int, CheatKind>();
        for (var i = 0; i < cheaters; i++)
            cheatOf[chosen[i]] = o.CheatMix[i % o.CheatMix.Count];
        var spoofing = chosen.Skip(cheaters).ToHashSet();

        var hosts = new List<SimulatedHost>(o.Hosts);
        for (var i = 0; i < o.Hosts; i++)
            hosts.Add(NewHost(o, random, totalMinutes, i, cheatOf.GetValueOrDefault(i), spoofing.Contains(i)));

        var down = NewHost(o, random, totalMinutes, -1, CheatKind.None, false);
        down.Outages.Forever();
        var place = DataCentres.Cities[random.Index(DataCentres.Cities.Length)].At;
        var slow = new SimulatedHost
        {
            Index = -2, Id = "honeypot2", Operator = AddressOf(0x4057_0000 + 14), TrueAt = place, DeclaredAt = place,
            ClaimedModel = "H100-SXM5-80GB", ActualModel = "RTX-4090-24GB", CardFactors = [1.0], ActualGpus = 1,
            Cheat = CheatKind.WeakerCard, Speed = Speed("RTX-4090-24GB", "H100-SXM5-80GB"), SkipsRows = false,
            Outages = Outages.None, RegisteredMinute = 0,
        };
        // Planted hosts last, so that a run without them draws as it did before they existed: honest hosts like any other
        // but for their traps.
        for (var i = 0; i < o.PlantedHosts; i++)
        {
            var planted = NewHost(o, random, totalMinutes, o.Hosts + i, CheatKind.None, false);
            planted.Planted = true;
            hosts.Add(planted);
        }

        return new VerificationWorld(hosts, checkers, down, slow);
    }

    private static SimulatedHost NewHost(VerificationOptions o, SimRandom random, int totalMinutes, int index, CheatKind cheat, bool spoofer)
    {
        var city = DataCentres.Cities[random.Index(DataCentres.Cities.Length)];
        var at = DataCentres.Destination(city.At, random.Next() * 360, random.Next() * 300);
        var declared = spoofer ? DataCentres.Destination(at, random.Next() * 360, 1_000 + (random.Next() * 3_000)) : at;
        var claimed = ClaimedModels[random.Index(ClaimedModels.Length)];
        var gpus = GpuCounts[random.Index(GpuCounts.Length)];
        if (cheat == CheatKind.FewerGpus && gpus == 1)
            gpus = 2;
        // Identical cards differ by a few per cent: ±4 % around the model's expected time.
        var factors = Enumerable.Range(0, gpus).Select(_ => 0.96 + (random.Next() * 0.08)).ToArray();
        var registered = random.Index(Math.Min(60, totalMinutes));
        string? actual = null;
        var speed = 1.0;
        var actualGpus = gpus;
        if (cheat is CheatKind.WeakerCard or CheatKind.DelayedPing)
        {
            var claimedOps = GpuThroughput.For(claimed).ExpectedOperationsPerSecond;
            var slower = GpuThroughput.All.Where(e => e.ExpectedOperationsPerSecond < claimedOps).ToList();
            if (slower.Count == 0)
            {
                claimed = "H100-SXM5-80GB";
                slower = GpuThroughput.All.Where(e => e.ExpectedOperationsPerSecond < GpuThroughput.For(claimed).ExpectedOperationsPerSecond).ToList();
            }

            actual = slower[random.Index(slower.Count)].Model;
            speed = Speed(actual, claimed);
        }
        else if (cheat == CheatKind.FewerGpus)
        {
            actualGpus = 1 + random.Index(gpus - 1);
            speed = (double)actualGpus / gpus;
        }

        var name = index >= 0 ? "h" + index.ToString(CultureInfo.InvariantCulture) : "honeypot" + (-index).ToString(CultureInfo.InvariantCulture);
        return new SimulatedHost
        {
            Index = index, Id = name, Operator = AddressOf(0x4057_0000 + index + 16), TrueAt = at, DeclaredAt = declared,
            ClaimedModel = claimed, CardFactors = factors, Cheat = cheat, Speed = speed, ActualModel = actual, ActualGpus = actualGpus,
            SkipsRows = random.Chance(0.5) && cheat != CheatKind.DelayedPing, WrongShare = 0.01 + (random.Next() * 0.99), LastMilesMs = Core.Marketplace.LatencyModel.LastMilesMs,
            Outages = new Outages(random, totalMinutes, o.HostMeanDaysBetweenOutages * 1440, o.HostMeanOutageMinutes),
            RegisteredMinute = registered,
            CloneMinute = cheat == CheatKind.ClonedFingerprint ? registered + random.Index(Math.Max(1, (totalMinutes - registered) / 2)) : int.MaxValue,
            NextCapacityMinute = registered,
            NextRandomCapacityMinute = registered + (int)random.Exponential(1440),
        };
    }

    private static double Speed(string actual, string claimed) =>
        GpuThroughput.For(actual).ExpectedOperationsPerSecond / GpuThroughput.For(claimed).ExpectedOperationsPerSecond;

    // `count` distinct indexes of 0 … n − 1, at random.
    private static int[] Pick(SimRandom random, int n, int count)
    {
        var all = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + random.Index(n - i);
            (all[i], all[j]) = (all[j], all[i]);
        }

        return all[..count];
    }

    public static Address AddressOf(long n) => Address.Parse("0x" + n.ToString("x40", CultureInfo.InvariantCulture));
}
