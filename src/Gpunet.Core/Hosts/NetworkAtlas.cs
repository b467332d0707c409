namespace Gpunet.Core.Hosts;

/// <summary>One host as the network's atlas counts it.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code.</param>
/// <param name="Latitude">Where the host is (declared, or located); 0,0 is taken as unknown.</param>
/// <param name="Model">The GPU model it offers.</param>
/// <param name="Gpus">Its GPUs.</param>
/// <param name="GpusLeased">Of them, those not wholly free (a lease holds all or part of each).</param>
/// <param name="PriceUsdPerGpuHour">Its asking price.</param>
public sealed record AtlasHost(string Country, double Latitude, double Longitude, HostState State, string Model, int Gpus, int GpusLeased, decimal PriceUsdPerGpuHour);

/// <summary>A country on the atlas: where its hosts are on average, and their GPUs by model.</summary>
/// <param name="Latitude">The mean of its hosts' known positions; null when none is known.</param>
public sealed record AtlasCountry(string Country, double? Latitude, double? Longitude, int Hosts, int Gpus, int GpusLeased, IReadOnlyDictionary<string, int> GpusByModel);

/// <summary>A GPU model on the atlas, with the prices it is offered at by hosts that can take a lease now.</summary>
/// <param name="LowestPriceUsdPerGpuHour">Null when no Ready host offers it.</param>
public sealed record AtlasModel(string Model, int Gpus, int GpusLeased, decimal? LowestPriceUsdPerGpuHour, decimal? MedianPriceUsdPerGpuHour);

/// <summary>The network at a glance, from aggregates only (so it is as cheap to send for 10,000 hosts as for 10): hosts by
/// state, GPUs and how many are leased, per country and per model.</summary>
/// <remarks>GPUs count on hosts that are up (every state but <see cref="HostState.Offline"/>): an offline host's GPUs
/// are not the network's capacity. Prices are those of <see cref="HostState.Ready"/> hosts, the ones that can be rented.
/// The median of an even number of prices is the mean of the middle two.</remarks>
public sealed record NetworkAtlas(int Hosts, IReadOnlyDictionary<HostState, int> HostsByState, int Gpus, int GpusLeased,
    IReadOnlyList<AtlasCountry> Countries, IReadOnlyList<AtlasModel> Models)
{
    /// <summary>The share of the GPUs that are up and leased, from 0 to 1 (0 with no GPU).</summary>
    public double Utilisation => Gpus == 0 ? 0 : (double)GpusLeased / Gpus;

    /// <summary>Counts <paramref name="hosts"/>. Countries by GPUs (most first), then code; models likewise.</summary>
    public static NetworkAtlas Of(IEnumerable<AtlasHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var byState = Enum.GetValues<HostState>().ToDictionary(s => s, _ => 0);
        var countries = new Dictionary<string, CountryTally>(StringComparer.Ordinal);
        var models = new Dictionary<string, ModelTally>(StringComparer.Ordinal);
        int count = 0, gpus = 0, leased = 0;
        foreach (var h in hosts)
        {
            count++;
            byState[h.State]++;
            var country = countries.TryGetValue(h.Country, out var c) ? c : countries[h.Country] = new CountryTally();
            country.Hosts++;
            if (h.Latitude != 0 || h.Longitude != 0)
            {
                country.Located++;
                country.LatitudeSum += h.Latitude;
                country.LongitudeSum += h.Longitude;
            }

            if (h.State == HostState.Offline)
                continue;
            var model = models.TryGetValue(h.Model, out var m) ? m : models[h.Model] = new ModelTally();
            var taken = Math.Clamp(h.GpusLeased, 0, h.Gpus);
            gpus += h.Gpus;
            leased += taken;
            country.Gpus += h.Gpus;
            country.Leased += taken;
            country.ByModel[h.Model] = country.ByModel.GetValueOrDefault(h.Model) + h.Gpus;
            model.Gpus += h.Gpus;
            model.Leased += taken;
            if (h.State == HostState.Ready)
                model.Prices.Add(h.PriceUsdPerGpuHour);
        }

        return new NetworkAtlas(count, byState, gpus, leased,
            [.. countries.OrderByDescending(c => c.Value.Gpus).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.View(c.Key))],
            [.. models.OrderByDescending(m => m.Value.Gpus).ThenBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value.View(m.Key))]);
    }

    private sealed class CountryTally
    {
        public int Hosts, Located, Gpus, Leased;
        public double LatitudeSum, LongitudeSum;
        public readonly SortedDictionary<string, int> ByModel = new(StringComparer.Ordinal);

        public AtlasCountry View(string code) => new(code, Located == 0 ? null : LatitudeSum / Located, Located == 0 ? null : LongitudeSum / Located,
            Hosts, Gpus, Leased, ByModel);
    }

    private sealed class ModelTally
    {
        public int Gpus, Leased;
        public readonly List<decimal> Prices = [];

        public AtlasModel View(string model)
        {
            if (Prices.Count == 0)
                return new AtlasModel(model, Gpus, Leased, null, null);
            Prices.Sort();
            var mid = Prices.Count / 2;
            var median = Prices.Count % 2 == 1 ? Prices[mid] : (Prices[mid - 1] + Prices[mid]) / 2;
            return new AtlasModel(model, Gpus, Leased, Prices[0], median);
        }
    }
}
