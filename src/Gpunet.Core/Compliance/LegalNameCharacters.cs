using System.Globalization;
using System.Text;

namespace Gpunet.Core.Compliance;

/// <summary>The characters a legal name may not hold: control characters, and invisible ones that change how a name
/// looks or reads without being part of it.</summary>
/// <remarks>Invisible means Unicode's format characters (category Cf: the bidirectional controls U+200E, U+200F,
/// U+061C, U+202A–U+202E and U+2066–U+2069, zero-width U+200B–U+200D, U+2060, U+FEFF, the soft hyphen, tags…), line
/// and paragraph separators, the Hangul fillers (letters that draw nothing) and an unpaired surrogate. A right-to-left
/// override makes a name display differently from how it is stored, and a zero-width character splits a word the
/// screening would otherwise match, so neither belongs in a document an officer reads and a list is screened against.
/// The one exception: a zero-width non-joiner or joiner between two letters of a script that spells with them (Persian,
/// the Indic scripts); screening removes them before matching.</remarks>
internal static class LegalNameCharacters
{
    /// <summary>Why <paramref name="name"/> is refused, naming its first forbidden character as U+XXXX and where it
    /// is (1-based, in UTF-16 code units as the name was sent); null when every character may stand in a name.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = 0;
        while (index < name.Length)
        {
            var status = Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out var length);
            var at = index + 1;
            if (status != System.Buffers.OperationStatus.Done)
                return $"must not contain an unpaired surrogate: U+{(int)name[index]:X4} at character {at}";
            if (Rune.IsControl(rune))
                return $"must not contain control characters: U+{rune.Value:X4} at character {at}";
            if (IsInvisible(rune) && !IsJoinerInItsScript(name, index, length))
                return $"must not contain invisible formatting characters (direction controls, zero-width characters): {Describe(rune)} at character {at}";
            index += length;
        }

        return null;
    }

    // ZWNJ and ZWJ are part of how Persian, Arabic and the Indic scripts spell a name (علی‌رضا is Alireza with a ZWNJ):
    // between two letters of such a script they stay; next to a Latin, Greek or Cyrillic letter they only hide a split.
    private static bool IsJoinerInItsScript(string name, int index, int length) =>
        name[index] is '\u200C' or '\u200D'
        && index > 0 && index + length < name.Length
        && IsJoiningScriptLetter(name[index - 1]) && IsJoiningScriptLetter(name[index + length]);

    // Letters and marks from Hebrew to Mongolian (U+0590–U+1CFF: Arabic, Syriac, Thaana, the Indic scripts, Sinhala,
    // Thai, Tibetan, Myanmar, Khmer…) and the Arabic presentation forms; Latin, Greek and Cyrillic lie outside.
    private static bool IsJoiningScriptLetter(char c) =>
        (c is >= '\u0590' and <= '\u1CFF' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFC')
        && (char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark);

    private static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        // Hangul fillers are letters (Lo) that draw nothing; precomposed Korean never needs them inside a name.
        || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0;

    // The code point, with its Unicode name where an officer would not recognise the number.
    private static string Describe(Rune rune)
    {
        var name = rune.Value switch
        {
            0x00AD => "soft hyphen",
            0x061C => "Arabic letter mark",
            0x200B => "zero-width space",
            0x200C => "zero-width non-joiner",
            0x200D => "zero-width joiner",
            0x200E => "left-to-right mark",
            0x200F => "right-to-left mark",
            0x202A => "left-to-right embedding",
            0x202B => "right-to-left embedding",
            0x202C => "pop directional formatting",
            0x202D => "left-to-right override",
            0x202E => "right-to-left override",
            0x2060 => "word joiner",
            0x2066 => "left-to-right isolate",
            0x2067 => "right-to-left isolate",
            0x2068 => "first strong isolate",
            0x2069 => "pop directional isolate",
            0xFEFF => "zero-width no-break space",
            _ => null,
        };
        return name is null ? $"U+{rune.Value:X4}" : $"U+{rune.Value:X4} ({name})";
    }
}
