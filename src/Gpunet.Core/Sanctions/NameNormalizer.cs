using System.Globalization;
using System.Text;

namespace Gpunet.Core.Sanctions;

/// <summary>Brings a name to the form screening compares: no diacritics, lower case, punctuation as spaces, single spaces.</summary>
/// <remarks>Decomposes to Unicode FormD and drops the combining marks. The build runs with invariant globalization,
/// where FormD leaves text as it is, so precomposed Latin letters (U+00C0–U+024F, U+1E00–U+1EFF) also fold through a
/// table to their base letter, and the few with no decomposition (ø, ł, đ, ı, ß, æ, œ, þ) to their usual
/// transliteration. Apostrophes join rather than split: O'Brien and OBrien are the same name.</remarks>
internal static class NameNormalizer
{
    // Base letter of each code point from U+00C0 and from U+1E00 ('.' = none), from Unicode NFKD plus ø, ł, đ, ı, ħ, ŧ.
    private const string LatinFrom00C0 =
        "aaaaaa.ceeeeiiiidnooooo.ouuuuy..aaaaaa.ceeeeiiiidnooooo.ouuuuy.yaaaaaaccccccccddddeeeeeeeeeegggggggg" +
        "hhhhiiiiiiiiii..jjkk.llllllllllnnnnnn...oooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzsb......." +
        "c.........f......kl.....oo...p.......t.uu...y.z......................aaiioouuuuuuuuuu.aaaa....ggkkoo" +
        "oo..j...gg..nnaa....aaaaeeeeiiiioooorrrruuuusstt..hh.....zaaeeooooooooyy...................e.j...r.y";

    private const string LatinFrom1E00 =
        "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssss" +
        "ssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy.s....aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeee" +
        "iiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......";

    /// <summary>The normalised name, e.g. <c>KIM, Jong-Ún</c> → <c>kim jong un</c>.</summary>
    public static string Normalize(string name) => string.Join(' ', Tokens(name));

    /// <summary>The normalised name's words in their original order.</summary>
    public static string[] Tokens(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            if (c is '\'' or '\u2019' or '`')
                continue;
            if (Fold(c) is { } folded)
                sb.Append(folded);
            else if (char.IsLetterOrDigit(c))
                sb.Append(char.ToLowerInvariant(c));
            else
                sb.Append(' ');
        }

        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string? Fold(char c)
    {
        var base00C0 = c - 0xC0;
        if (base00C0 >= 0 && base00C0 < LatinFrom00C0.Length && LatinFrom00C0[base00C0] != '.')
            return LatinFrom00C0[base00C0].ToString();
        var base1E00 = c - 0x1E00;
        if (base1E00 >= 0 && base1E00 < LatinFrom1E00.Length && LatinFrom1E00[base1E00] != '.')
            return LatinFrom1E00[base1E00].ToString();
        return c switch
        {
            'ß' or 'ẞ' => "ss",
            'æ' or 'Æ' => "ae",
            'œ' or 'Œ' => "oe",
            'þ' or 'Þ' => "th",
            'ĳ' or 'Ĳ' => "ij",
            _ => null,
        };
    }
}
