using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Sanctions;

/// <summary>Parses OFAC's Specially Designated Nationals list in its legacy CSV form (<c>sdn.csv</c> and <c>alt.csv</c>).</summary>
/// <remarks><c>sdn.csv</c>: no header, 12 columns (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
/// Tonnage, GRT, Vess_flag, Vess_owner, Remarks). <c>alt.csv</c>: no header, 5 columns (ent_num, alt_num, alt_type,
/// alt_name, alt_remarks). Null fields are <c>-0-</c>; the last line may be the DOS end-of-file marker SUB.</remarks>
public static class SdnCsvParser
{
    private const int SdnColumns = 12;
    private const int AltColumns = 5;

    /// <summary>Parses the SDN file and, when given, its aliases file into a list.</summary>
    /// <exception cref="SanctionsListException">A record has the wrong number of columns, a non-numeric or repeated
    /// ent_num, an empty name, an alias for an ent_num the SDN file lacks, or an unclosed quote.</exception>
    public static SanctionsList Parse(string sdnCsv, string? altCsv = null)
    {
        ArgumentNullException.ThrowIfNull(sdnCsv);
        var drafts = new List<Draft>();
        var byId = new Dictionary<string, (Draft Draft, int Line)>(StringComparer.Ordinal);
        foreach (var (line, f) in OfacCsv.Records(sdnCsv, "sdn"))
        {
            var id = Check(f, SdnColumns, "sdn", line);
            if (byId.TryGetValue(id, out var first))
                throw new SanctionsListException("sdn", line, $"ent_num {id} is repeated (first on line {first.Line})");
            if (f[1].Length == 0)
                throw new SanctionsListException("sdn", line, $"SDN_Name is empty for ent_num {id}");
            var (dates, countries, remarkAliases) = SdnRemarks.Parse(f[11]);
            var draft = new Draft(id, f[1], EntryType(f[2]), Programs(f[3]), dates, countries);
            if (SanctionsCountries.Resolve(f[9]) is { } flag && !countries.Contains(flag))
                countries.Add(flag);
            foreach (var alias in remarkAliases)
                draft.AddAlias(alias);
            drafts.Add(draft);
            byId[id] = (draft, line);
        }

        foreach (var (line, f) in altCsv is null ? [] : OfacCsv.Records(altCsv, "alt"))
        {
            var id = Check(f, AltColumns, "alt", line);
            if (!byId.TryGetValue(id, out var owner))
                throw new SanctionsListException("alt", line, $"alias for unknown ent_num {id}");
            if (f[3].Length == 0)
                throw new SanctionsListException("alt", line, $"alt_name is empty for ent_num {id}");
            owner.Draft.AddAlias(f[3]);
        }

        return new SanctionsList(Version(sdnCsv, altCsv), [.. drafts.Select(d => d.ToEntry())]);
    }

    /// <summary>The list version for these file texts: <c>sdn-</c> and 12 hex digits of SHA-256 over sdn, a newline, alt.</summary>
    public static string Version(string sdnCsv, string? altCsv)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sdnCsv + "\n" + (altCsv ?? "")));
        return "sdn-" + Convert.ToHexStringLower(hash)[..12];
    }

    private static string Check(string[] fields, int columns, string file, int line)
    {
        if (fields.Length != columns)
            throw new SanctionsListException(file, line, $"expected {columns} columns, found {fields.Length}");
        var id = fields[0];
        // 18 digits always fit a long; OFAC's ent_nums have at most 5 or 6.
        if (id.Length is 0 or > 18 || !id.All(char.IsAsciiDigit))
            throw new SanctionsListException(file, line, $"ent_num '{id}' is not a number");
        return long.Parse(id, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    private static string EntryType(string sdnType) => sdnType.Length == 0 ? "entity" : sdnType.ToLowerInvariant();

    // "[SDGT] [IRGC]" → SDGT, IRGC; a plain "CUBA" (older files) is one program.
    private static string[] Programs(string program) =>
        [.. program.Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private sealed class Draft(string id, string name, string type, string[] programs, List<BirthDate> dates, List<string> countries)
    {
        private readonly List<string> _aliases = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal) { NameNormalizer.Normalize(name) };

        public void AddAlias(string alias)
        {
            if (_seen.Add(NameNormalizer.Normalize(alias)))
                _aliases.Add(alias);
        }

        public SanctionsEntry ToEntry() => new(id, name, type, _aliases.AsReadOnly(), programs, dates.AsReadOnly(), countries.AsReadOnly());
    }
}
