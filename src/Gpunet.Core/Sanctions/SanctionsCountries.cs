using System.Collections.Frozen;
using Gpunet.Core.Geography;

namespace Gpunet.Core.Sanctions;

/// <summary>Turns the country names sanctions lists use (<c>Korea, North</c>, <c>Iran</c>, <c>Burma</c>) into ISO 3166-1 alpha-2 codes.</summary>
/// <remarks>Knows every ISO English short name in <see cref="Countries"/>, the part before the comma of names like
/// <c>Iran, Islamic Republic of</c> where that part is unambiguous, and a table of OFAC's own spellings. Lookups ignore
/// case, diacritics and punctuation.</remarks>
public static class SanctionsCountries
{
    // OFAC's spellings and common short forms that differ from ISO's English short names.
    private static readonly (string Name, string Code)[] Aliases =
    [
        ("Korea, North", "KP"), ("North Korea", "KP"), ("Democratic People's Republic of Korea", "KP"), ("DPRK", "KP"),
        ("Korea, South", "KR"), ("South Korea", "KR"), ("Republic of Korea", "KR"),
        ("Iran", "IR"), ("Russia", "RU"), ("Syria", "SY"), ("Burma", "MM"), ("Venezuela", "VE"), ("Bolivia", "BO"),
        ("Vietnam", "VN"), ("Laos", "LA"), ("Moldova", "MD"), ("Tanzania", "TZ"), ("Taiwan", "TW"),
        ("Congo, Democratic Republic of the", "CD"), ("Democratic Republic of the Congo", "CD"),
        ("Congo, Republic of the", "CG"), ("Ivory Coast", "CI"),
        ("Turkey", "TR"), ("Czech Republic", "CZ"), ("United Kingdom", "GB"), ("United States", "US"),
        ("USA", "US"), ("UK", "GB"), ("West Bank", "PS"), ("Gaza", "PS"), ("Palestinian", "PS"),
        ("Macau", "MO"), ("Brunei", "BN"), ("Cape Verde", "CV"), ("Swaziland", "SZ"), ("Micronesia", "FM"),
        ("The Gambia", "GM"), ("The Bahamas", "BS"), ("Vatican City", "VA"), ("Holy See", "VA"),
    ];

    private static readonly FrozenDictionary<string, string> ByName = Build();

    /// <summary>The alpha-2 code for a country name or code, or null when the text names no country this table knows.</summary>
    public static string? Resolve(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var t = text.Trim();
        if (t.Length == 2 && Countries.IsKnown(t))
            return t.ToUpperInvariant();
        return ByName.TryGetValue(NameNormalizer.Normalize(t), out var code) ? code : null;
    }

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var heads = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var code in Countries.Codes)
        {
            var name = Countries.Name(code)!;
            map[NameNormalizer.Normalize(name)] = code;
            var comma = name.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                // "Korea, Republic of" and "Korea, Democratic People's Republic of" share a head: such heads mean nothing.
                var head = NameNormalizer.Normalize(name[..comma]);
                heads[head] = heads.TryGetValue(head, out var seen) && seen != code ? null : code;
            }
        }

        foreach (var (head, code) in heads)
        {
            if (code is not null)
                map.TryAdd(head, code);
        }

        foreach (var (name, code) in Aliases)
            map[NameNormalizer.Normalize(name)] = code;
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
