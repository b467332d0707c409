namespace Gpunet.Core.Sanctions;

/// <summary>A parsed sanctions list: its entries and a version that names the exact files it came from.</summary>
/// <remarks>Immutable; safe to share between threads. Build one with <see cref="SdnCsvParser.Parse"/>.</remarks>
public sealed class SanctionsList
{
    /// <summary>Creates a list from entries already parsed.</summary>
    /// <param name="version">Names the list's content, e.g. <c>sdn-3f2a9c0d11e4</c>.</param>
    public SanctionsList(string version, IReadOnlyList<SanctionsEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(entries);
        Version = version;
        Entries = entries;
        NameCount = entries.Sum(e => 1 + e.Aliases.Count);
    }

    /// <summary>A list with no entries, version <c>none</c>: every screen against it is clear.</summary>
    public static SanctionsList Empty { get; } = new("none", []);

    /// <summary>For a parsed list, <c>sdn-</c> and the first 12 hex digits of SHA-256 over the sdn text, a newline and the alt text.</summary>
    public string Version { get; }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<SanctionsEntry> Entries { get; }

    /// <summary>How many names screening compares against: each entry's primary name and its aliases.</summary>
    public int NameCount { get; }
}
