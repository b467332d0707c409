using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class NameNormalizerTests
{
    [Theory]
    [InlineData("KIM, Jong-Ún", "kim jong un")]
    [InlineData("  Kemal   Barış  ÖZTÜRK ", "kemal baris ozturk")]
    [InlineData("Łódź Đorđe Søren Straße Nguyễn", "lodz dorde soren strasse nguyen")]
    [InlineData("O'Brien", "obrien")]
    [InlineData("Jose\u0301 Mari\u0301a", "jose maria")]
    [InlineData("ACME CO., LTD. (\"NORTH\")", "acme co ltd north")]
    public void Normalize_Names_FoldToComparableForm(string name, string expected) =>
        Assert.Equal(expected, NameNormalizer.Normalize(name));

    [Theory]
    [InlineData("Vоlkоv", "volkov")] // Cyrillic о
    [InlineData("VОLKОV", "volkov")] // Cyrillic О
    [InlineData("Dmіtrі Аlеksаndrоvісh", "dmitri aleksandrovich")] // Cyrillic і, А, е, а, о, с
    [InlineData("ЅАМІR ХАНАРРУ", "samir xahappy")] // capitals only: Ѕ А М І Х Н Р У
    [InlineData("Ηοssеin Μirzaеi", "hossein mirzaei")] // Greek Η, ο, Μ; Cyrillic е
    [InlineData("Ѕоkоlоvа Ιrіnа", "sokolova irina")] // Cyrillic Ѕ, о, а, і; Greek Ι
    [InlineData("Ӧztürk Јоhn", "ozturk john")] // Cyrillic Ӧ, Ј
    public void Normalize_CyrillicAndGreekLookAlikes_FoldToTheLatinLetters(string name, string expected) =>
        Assert.Equal(expected, NameNormalizer.Normalize(name));

    [Theory]
    [InlineData("Vol\u200Bkov")] // zero-width space
    [InlineData("Vol\u200Ckov")] // zero-width non-joiner
    [InlineData("Vol\u200Dkov")] // zero-width joiner
    [InlineData("Vol\u2060kov")] // word joiner
    [InlineData("Vol\uFEFFkov")] // zero-width no-break space
    [InlineData("Vol\u00ADkov")] // soft hyphen
    [InlineData("\u202EVolkov\u202C")] // right-to-left override and pop
    [InlineData("\u2067Vol\u200Fkov\u2069")] // right-to-left isolate, mark
    [InlineData("Volkov\U000E0041")] // a tag character, outside the basic plane
    public void Normalize_InvisibleFormatCharacters_AreRemovedNotWordBreaks(string name) =>
        Assert.Equal("volkov", NameNormalizer.Normalize(name));

    [Fact]
    public void Normalize_CyrillicNameInAnyCase_FoldsTheSame()
    {
        // Т, В, Н and М look Latin only as capitals; their small letters fold with them so case never matters.
        Assert.Equal(NameNormalizer.Normalize("ПЕТРОВ ВЛАДИМИР НИКОЛАЕВИЧ"), NameNormalizer.Normalize("Петров Владимир Николаевич"));
        Assert.Equal(NameNormalizer.Normalize("ΝΙΚΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ"), NameNormalizer.Normalize("Νικος Παπαδοπουλος"));
    }

    [Fact]
    public void Normalize_LettersOutsideTheBasicPlane_StayLettersOfTheWord() =>
        Assert.Equal("𠀀x", NameNormalizer.Normalize("𠀀X"));

    // Screening is blind to case: a name written in Cyrillic or Greek capitals folds as the same name in small letters.
    [Property(MaxTest = 300)]
    public Property Normalize_CyrillicOrGreekText_SameInUpperAndLowerCase() =>
        Prop.ForAll(CyrillicOrGreekText.ToArbitrary(), text =>
            NameNormalizer.Normalize(text.ToUpperInvariant()) == NameNormalizer.Normalize(text.ToLowerInvariant()));

    private static readonly Gen<string> CyrillicOrGreekText =
        Gen.ArrayOf(Gen.OneOf(Gen.Choose(0x370, 0x52F).Select(c => (char)c).Where(char.IsLetter), Gen.Constant(' ')))
            .Select(chars => new string(chars));
}
