using System.Globalization;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Discovery;

/// <summary>Some GPUs of one model that a machine without GPUs pretends to have, e.g. <c>H100-SXM5-80GB:8</c>.</summary>
/// <param name="Model">The catalog model simulated.</param>
/// <param name="Count">How many, 1 to <see cref="MaxCount"/>.</param>
public sealed record SimulatedGpuSpec(GpuModel Model, int Count)
{
    /// <summary>The most GPUs of one model a spec may ask for; real boxes top out at 8 to 16.</summary>
    public const int MaxCount = 16;

    /// <summary>Reads <c>MODEL[:COUNT]</c>: a canonical model name or a family (its default variant), and a count
    /// from 1 to <see cref="MaxCount"/> that defaults to 1.</summary>
    /// <exception cref="FormatException">The model is unknown or the count is not a whole number in range; the
    /// message says which.</exception>
    public static SimulatedGpuSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new FormatException("Simulated GPU spec is empty; expected MODEL[:COUNT], e.g. H100-SXM5-80GB:8.");

        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var modelText = (colon < 0 ? trimmed : trimmed[..colon]).Trim();
        var countText = colon < 0 ? "1" : trimmed[(colon + 1)..].Trim();

        if (!GpuCatalog.IsKnown(modelText))
        {
            var examples = string.Join(", ", GpuCatalog.All.Take(6).Select(m => m.Name));
            throw new FormatException(
                $"Unknown GPU model '{modelText}' in simulated GPU spec '{trimmed}'; known models include {examples}, " +
                $"and the families {string.Join(", ", GpuCatalog.Families)}.");
        }

        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ||
            count < 1 || count > MaxCount)
        {
            throw new FormatException(
                $"GPU count '{countText}' in simulated GPU spec '{trimmed}' is not a whole number from 1 to {MaxCount}.");
        }

        return new SimulatedGpuSpec(GpuCatalog.DefaultOf(modelText), count);
    }

    /// <summary>Reads a comma-separated list of specs, e.g. <c>H100:8,L4:2</c>.</summary>
    /// <exception cref="FormatException">Any spec is invalid.</exception>
    public static IReadOnlyList<SimulatedGpuSpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse)
            .ToArray();
    }

    public override string ToString() => $"{Model.Name}:{Count}";
}
