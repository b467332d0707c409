using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Gpunet.Core.Gpus;

/// <summary>The NVIDIA GPU models the network knows: canonical names, families, and the names nvidia-smi prints.</summary>
/// <remarks>All look-ups ignore case and surrounding white space. A family name (<c>H100</c>) stands for all its
/// variants; a canonical name (<c>H100-SXM5-80GB</c>) for exactly one model. Families are matched whole, never by
/// prefix: <c>L40</c> does not include L40S, <c>A10</c> does not include A100 or A10G.</remarks>
public static class GpuCatalog
{
    // nvidia-smi memory totals are the figures real cards report (MiB), e.g. modal-labs/modal-client#2797 and
    // NVIDIA/nccl#1264 for H100 (81559), A100 (81920/40960), L40S (46068), L4 (23034), A10 (23028), T4 (15360).
    // Within a family the first row is the default variant (DefaultOf).
    private static readonly GpuCatalogEntry[] Entries =
    [
        Row("H100-SXM5-80GB", "H100", 80, 9.0m, "NVIDIA H100 80GB HBM3", 81559),
        Row("H100-PCIe-80GB", "H100", 80, 9.0m, "NVIDIA H100 PCIe", 81559),
        Row("H100-NVL-94GB", "H100", 94, 9.0m, "NVIDIA H100 NVL", 95830),
        Row("H200-SXM-141GB", "H200", 141, 9.0m, "NVIDIA H200", 143771),
        Row("H200-NVL-141GB", "H200", 141, 9.0m, "NVIDIA H200 NVL", 143771),
        Row("B200-SXM-180GB", "B200", 180, 10.0m, "NVIDIA B200", 183359),
        Row("GH200-96GB", "GH200", 96, 9.0m, "NVIDIA GH200 480GB", 97871),
        Row("A100-SXM4-80GB", "A100", 80, 8.0m, "NVIDIA A100-SXM4-80GB", 81920),
        Row("A100-SXM4-40GB", "A100", 40, 8.0m, "NVIDIA A100-SXM4-40GB", 40960),
        Row("A100-PCIe-80GB", "A100", 80, 8.0m, "NVIDIA A100 80GB PCIe", 81920),
        Row("A100-PCIe-40GB", "A100", 40, 8.0m, "NVIDIA A100-PCIE-40GB", 40960),
        Row("A800-SXM4-80GB", "A800", 80, 8.0m, "NVIDIA A800-SXM4-80GB", 81920),
        Row("A800-PCIe-80GB", "A800", 80, 8.0m, "NVIDIA A800 80GB PCIe", 81920),
        Row("H800-SXM5-80GB", "H800", 80, 9.0m, "NVIDIA H800", 81559),
        Row("H800-PCIe-80GB", "H800", 80, 9.0m, "NVIDIA H800 PCIe", 81559),
        Row("H20-96GB", "H20", 96, 9.0m, "NVIDIA H20", 97871),
        Row("L40S-48GB", "L40S", 48, 8.9m, "NVIDIA L40S", 46068),
        Row("L40-48GB", "L40", 48, 8.9m, "NVIDIA L40", 46068),
        Row("L4-24GB", "L4", 24, 8.9m, "NVIDIA L4", 23034),
        Row("A10-24GB", "A10", 24, 8.6m, "NVIDIA A10", 23028),
        Row("A10G-24GB", "A10G", 24, 8.6m, "NVIDIA A10G", 23028),
        Row("A40-48GB", "A40", 48, 8.6m, "NVIDIA A40", 46068),
        Row("A30-24GB", "A30", 24, 8.0m, "NVIDIA A30", 24576),
        Row("RTX-A6000-48GB", "RTX-A6000", 48, 8.6m, "NVIDIA RTX A6000", 49140, dataCenter: false),
        Row("RTX-6000-Ada-48GB", "RTX-6000-Ada", 48, 8.9m, "NVIDIA RTX 6000 Ada Generation", 49140, dataCenter: false),
        Row("RTX-5090-32GB", "RTX-5090", 32, 12.0m, "NVIDIA GeForce RTX 5090", 32607, dataCenter: false),
        Row("RTX-4090-24GB", "RTX-4090", 24, 8.9m, "NVIDIA GeForce RTX 4090", 24564, dataCenter: false),
        Row("RTX-4080-16GB", "RTX-4080", 16, 8.9m, "NVIDIA GeForce RTX 4080", 16376, dataCenter: false),
        Row("RTX-3090-24GB", "RTX-3090", 24, 8.6m, "NVIDIA GeForce RTX 3090", 24576, dataCenter: false),
        Row("V100-SXM2-32GB", "V100", 32, 7.0m, "Tesla V100-SXM2-32GB", 32768),
        Row("V100-SXM2-16GB", "V100", 16, 7.0m, "Tesla V100-SXM2-16GB", 16384),
        Row("V100-PCIe-16GB", "V100", 16, 7.0m, "Tesla V100-PCIE-16GB", 16384),
        Row("T4-16GB", "T4", 16, 7.5m, "Tesla T4", 15360),
    ];

    // Other product names real drivers print for catalog models (HGX A100 boards say "A100-SXM-80GB").
    private static readonly (string SmiName, string Model)[] ExtraSmiNames =
    [
        ("NVIDIA A100-SXM-80GB", "A100-SXM4-80GB"),
        ("NVIDIA A100-PCIE-80GB", "A100-PCIe-80GB"),
    ];

    // A reported total counts as this model when it is within these fractions of the marketed size: ECC and
    // reserved memory make cards report 93-100 % of it (T4: 15360 MiB of 16 GB; B200: 183359 MiB of 180 GB).
    private const double MinMemoryRatio = 0.90;
    private const double MaxMemoryRatio = 1.05;

    private static readonly ReadOnlyCollection<GpuModel> AllModels = Array.AsReadOnly(Entries.Select(e => e.Model).ToArray());

    private static readonly Dictionary<string, GpuCatalogEntry> ByName =
        Entries.ToDictionary(e => e.Model.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, ReadOnlyCollection<GpuModel>> ByFamily = Entries
        .GroupBy(e => e.Model.Family, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => Array.AsReadOnly(g.Select(e => e.Model).ToArray()), StringComparer.OrdinalIgnoreCase);

    private static readonly ReadOnlyCollection<string> FamilyNames =
        Array.AsReadOnly(Entries.Select(e => e.Model.Family).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());

    private static readonly Dictionary<string, GpuCatalogEntry[]> BySmiKey = BuildSmiIndex();

    /// <summary>Every model in the catalog, data-centre parts first, each family's default variant first.</summary>
    public static IReadOnlyList<GpuModel> All => AllModels;

    /// <summary>Every family name, in catalog order.</summary>
    public static IReadOnlyList<string> Families => FamilyNames;

    /// <summary>The model with this canonical name (not a family name).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out GpuModel? model)
    {
        model = null;
        if (string.IsNullOrWhiteSpace(name) || !ByName.TryGetValue(name.Trim(), out var entry))
            return false;
        model = entry.Model;
        return true;
    }

    /// <summary>The models a customer means by <paramref name="nameOrFamily"/>: all variants of a family, the one
    /// model of a canonical name, or none when the name is unknown.</summary>
    public static IReadOnlyList<GpuModel> Resolve(string nameOrFamily)
    {
        if (string.IsNullOrWhiteSpace(nameOrFamily))
            return [];
        var key = nameOrFamily.Trim();
        if (ByName.TryGetValue(key, out var entry))
            return [entry.Model];
        return ByFamily.TryGetValue(key, out var family) ? family : [];
    }

    /// <summary>Whether the model named <paramref name="canonicalModelName"/> satisfies a request for
    /// <paramref name="nameOrFamily"/> (that model, or its family).</summary>
    public static bool Matches(string nameOrFamily, string canonicalModelName)
    {
        if (string.IsNullOrWhiteSpace(canonicalModelName))
            return false;
        var wanted = canonicalModelName.Trim();
        foreach (var model in Resolve(nameOrFamily))
        {
            if (string.Equals(model.Name, wanted, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="nameOrFamily"/> is a canonical model name or a family name.</summary>
    public static bool IsKnown(string nameOrFamily) => Resolve(nameOrFamily).Count > 0;

    /// <summary>The usual variant of a family (H100 → H100-SXM5-80GB); a canonical name gives that model.</summary>
    /// <exception cref="ArgumentException">The name is neither a family nor a model in the catalog.</exception>
    public static GpuModel DefaultOf(string family)
    {
        var models = Resolve(family);
        if (models.Count == 0)
        {
            throw new ArgumentException(
                $"Unknown GPU family '{family}'; known families: {string.Join(", ", FamilyNames)}.", nameof(family));
        }

        return models[0];
    }

    /// <summary>The catalog model of a GPU from the product name nvidia-smi printed and the memory it reported.</summary>
    /// <remarks>Names are compared without case and without the <c>NVIDIA</c>, <c>Tesla</c> and <c>GeForce</c>
    /// prefixes that differ between driver generations. <paramref name="memoryTotalMiB"/> (nvidia-smi
    /// <c>memory.total</c>, MiB) picks between variants sold under one name and rejects a card whose memory does not
    /// fit the name: a reported total outside 90-105 % of the marketed size gives null. Zero or less means the total
    /// is unknown, and the name alone decides (the family's default variant where it is ambiguous).</remarks>
    /// <returns>The model, or null when the name (or name and memory) is not a catalog model.</returns>
    public static GpuModel? FromSmiName(string smiName, long memoryTotalMiB)
    {
        if (string.IsNullOrWhiteSpace(smiName) || !BySmiKey.TryGetValue(SmiKey(smiName), out var candidates))
            return null;
        if (memoryTotalMiB <= 0)
            return candidates[0].Model;

        var reportedGb = memoryTotalMiB / 1024.0;
        GpuModel? best = null;
        var bestDistance = double.MaxValue;
        foreach (var candidate in candidates)
        {
            var ratio = reportedGb / candidate.Model.VramGb;
            if (ratio < MinMemoryRatio || ratio > MaxMemoryRatio)
                continue;
            var distance = Math.Abs(reportedGb - candidate.Model.VramGb);
            if (distance < bestDistance)
            {
                best = candidate.Model;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The memory total nvidia-smi reports for a real card of this model, in MiB.</summary>
    internal static long SmiMemoryTotalMiB(GpuModel model) => ByName[model.Name].SmiMemoryTotalMiB;

    private static GpuCatalogEntry Row(
        string name, string family, int vramGb, decimal computeCapability, string smiName, long smiMemoryMiB,
        bool dataCenter = true) =>
        new(new GpuModel(name, family, vramGb, computeCapability, smiName, dataCenter), smiMemoryMiB);

    private static Dictionary<string, GpuCatalogEntry[]> BuildSmiIndex()
    {
        var index = new Dictionary<string, List<GpuCatalogEntry>>(StringComparer.Ordinal);
        void Add(string smiName, GpuCatalogEntry entry)
        {
            var key = SmiKey(smiName);
            if (!index.TryGetValue(key, out var list))
                index[key] = list = [];
            if (!list.Contains(entry))
                list.Add(entry);
        }

        foreach (var entry in Entries)
            Add(entry.Model.SmiName, entry);
        foreach (var (smiName, model) in ExtraSmiNames)
            Add(smiName, ByName[model]);

        // A bare family name ("NVIDIA A100", "Tesla V100") stands for the whole family and memory picks the
        // variant, unless that name is already another family's product name.
        foreach (var (family, models) in ByFamily)
        {
            var key = SmiKey(family.Replace('-', ' '));
            if (index.TryGetValue(key, out var named) && named.Exists(e => e.Model.Family != family))
                continue;
            foreach (var model in models)
                Add(family.Replace('-', ' '), ByName[model.Name]);
        }

        return index.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    // Upper case, single spaces, without the vendor and brand prefixes drivers add or drop over the years
    // ("GeForce RTX 3090" on 4xx drivers, "NVIDIA GeForce RTX 3090" later).
    private static string SmiKey(string smiName)
    {
        var collapsed = new StringBuilder(smiName.Length);
        foreach (var c in smiName.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (collapsed.Length > 0 && collapsed[^1] != ' ')
                    collapsed.Append(' ');
            }
            else
            {
                collapsed.Append(char.ToUpperInvariant(c));
            }
        }

        var key = collapsed.ToString();
        key = StripPrefix(key, "NVIDIA ");
        foreach (var brand in (ReadOnlySpan<string>)["GEFORCE ", "TESLA ", "QUADRO "])
            key = StripPrefix(key, brand);
        return key;
    }

    private static string StripPrefix(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
}
