using System.Globalization;
using System.Text;

namespace Gpunet.Core.Sanctions;

/// <summary>Brings a name to the form screening compares: no diacritics, lower case, punctuation as spaces, single spaces,
/// invisible characters removed and Cyrillic and Greek look-alikes of Latin letters folded to those letters.</summary>
/// <remarks>Decomposes to Unicode FormD and drops the combining marks. The build runs with invariant globalization,
/// where FormD leaves text as it is, so precomposed Latin letters (U+00C0–U+024F, U+1E00–U+1EFF) also fold through a
/// table to their base letter, and the few with no decomposition (ø, ł, đ, ı, ß, æ, œ, þ) to their usual
/// transliteration. Apostrophes join rather than split: O'Brien and OBrien are the same name.
/// <para>Two evasions are undone before matching, on the list's names and the subject's alike. Format characters
/// (zero-width space and joiners, bidirectional controls, U+FEFF, the soft hyphen) are dropped, so
/// <c>VOL​KOV</c> is one word. Cyrillic and Greek letters that look like a Latin letter fold to it, as UTS #39's
/// skeleton does, so <c>VОLKОV</c> with Cyrillic О is <c>volkov</c>, in either case. A name written wholly in Cyrillic folds letter by
/// letter too; that only adds recall (a hit is still a hit), and such a name rarely looks like a listed Latin one.</para></remarks>
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

    // The Latin letter each Cyrillic or Greek letter from U+0370 to U+052F looks like ('.' = none), from Unicode's
    // confusables.txt (UTS #39, version 14.0.0): the letters whose prototype is one ASCII letter, in the source's case
    // (Cyrillic І's prototype is l, the look-alike of capital I), lower-cased; the precomposed letters whose base letter
    // has one (Cyrillic ё, ї, ў; Greek ά, ό), as the accent folding drops the mark; and each letter's other case
    // folds the same way (Cyrillic т as Т, Greek Ν as ν, final ς as σ), so screening stays blind to case. Where the two cases look
    // like different letters (Greek ν/Ν, υ/Υ), the small letter's look-alike wins: names are mostly small letters.
    private const string LatinLookAlikeFrom0370 =
        "..........i....j......a.ehi.o.u..aby.ezh.ik.mv.o.p.otu.x..iuaehi.aby.ezh.ik.mv.o.pootu.x..iuou..b.yy" +
        "y.......ff..................kpcj.e...cmm....ee.r.siij...k.y.a.br.e....k.mho.pcty.x......b...a.br.e.." +
        "..k.mho.pcty.x......b...ee.r.siij...k.y.ww..................vvvv...................................." +
        "..................yy..........hhee..i..............iaaaa..ee..............oo......yyyyyy............" +
        "dd..........gg............qqww..................";

    /// <summary>The normalised name, e.g. <c>KIM, Jong-Ún</c> → <c>kim jong un</c>.</summary>
    public static string Normalize(string name) => string.Join(' ', Tokens(name));

    /// <summary>The normalised name's words in their original order.</summary>
    public static string[] Tokens(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            // Marks join their letter; format characters (zero-width, direction controls, tags) join what they split.
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
                continue;
            if (rune.Value is '\'' or '\u2019' or '`')
                continue;
            if (rune.IsBmp && Fold((char)rune.Value) is { } folded)
                sb.Append(folded);
            else if (Rune.IsLetterOrDigit(rune))
                // Lower case of the upper case: folds the variant small forms too (ϑ and θ, ſ and s), as case folding does.
                Append(sb, Rune.ToLowerInvariant(Rune.ToUpperInvariant(rune)));
            else
                sb.Append(' ');
        }

        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Append(StringBuilder sb, Rune rune)
    {
        Span<char> utf16 = stackalloc char[2];
        sb.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }

    private static string? Fold(char c)
    {
        var base00C0 = c - 0xC0;
        if (base00C0 >= 0 && base00C0 < LatinFrom00C0.Length && LatinFrom00C0[base00C0] != '.')
            return LatinFrom00C0[base00C0].ToString();
        var base1E00 = c - 0x1E00;
        if (base1E00 >= 0 && base1E00 < LatinFrom1E00.Length && LatinFrom1E00[base1E00] != '.')
            return LatinFrom1E00[base1E00].ToString();
        var base0370 = c - 0x370;
        if (base0370 >= 0 && base0370 < LatinLookAlikeFrom0370.Length && LatinLookAlikeFrom0370[base0370] != '.')
            return LatinLookAlikeFrom0370[base0370].ToString();
        return c switch
        {
            'ß' or 'ẞ' => "ss",
            'æ' or 'Æ' or 'ӕ' or 'Ӕ' => "ae",
            'œ' or 'Œ' => "oe",
            'þ' or 'Þ' => "th",
            'ĳ' or 'Ĳ' => "ij",
            _ => null,
        };
    }
}
