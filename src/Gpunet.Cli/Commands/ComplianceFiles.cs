namespace Gpunet.Cli.Commands;

/// <summary>Local files the compliance commands send or check: read whole, or a clear error before anything is sent.</summary>
internal static class ComplianceFiles
{
    /// <summary>The text of <paramref name="path"/>; a <see cref="CliException"/> naming <paramref name="what"/> when it is missing or unreadable.</summary>
    public static string ReadText(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new CliException($"{what}: name a file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new CliException($"{what}: cannot read {path}: {why}");
        }
    }

    /// <summary>The aliases file beside an SDN file, when there is one: for <c>X.csv</c> the same name with <c>sdn</c> turned
    /// into <c>alt</c> (<c>sdn-sample.csv</c> → <c>alt-sample.csv</c>), else <c>alt.csv</c> (OFAC's own file names).</summary>
    public static string? AliasesBeside(string sdnPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(sdnPath)) ?? ".";
        var name = Path.GetFileName(sdnPath);
        var at = name.IndexOf("sdn", StringComparison.OrdinalIgnoreCase);
        var candidates = new List<string>();
        if (at >= 0)
            candidates.Add(Path.Combine(folder, string.Concat(name.AsSpan(0, at), Case("alt", name.AsSpan(at, 3)), name.AsSpan(at + 3))));
        candidates.Add(Path.Combine(folder, "alt.csv"));
        return candidates.FirstOrDefault(c => File.Exists(c) && !string.Equals(Path.GetFullPath(c), Path.GetFullPath(sdnPath), StringComparison.Ordinal));
    }

    // SDN.CSV → ALT.CSV, sdn.csv → alt.csv.
    private static string Case(string word, ReadOnlySpan<char> like) =>
        like.Length > 0 && char.IsUpper(like[0]) ? word.ToUpperInvariant() : word;
}
