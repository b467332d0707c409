using System.Reflection;
using PdfSharp.Fonts;

namespace Gpunet.Cli.Sla;

/// <summary>The report's typeface, DejaVu Sans (regular and bold), embedded in gpunet with its licence
/// (<c>Sla/Fonts/LICENSE</c>): PDFsharp finds no fonts on Linux by itself, and the SkiaSharp build ScottPlot uses here
/// reads none from the system, so the PDF and its chart are typeset the same on every machine without a font package.</summary>
internal sealed class ReportFonts : IFontResolver
{
    /// <summary>The family name the renderers ask for.</summary>
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans", Bold = "DejaVuSans-Bold";
    private static readonly Lock Gate = new();

    /// <summary>The font file's bytes: <c>DejaVuSans</c> or <c>DejaVuSans-Bold</c>.</summary>
    public static byte[] Bytes(string face)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Gpunet.Cli.Sla.Fonts.{face}.ttf")
            ?? throw new InvalidOperationException($"the font {face} is not embedded in gpunet");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Makes PDFsharp and ScottPlot use these fonts (once per process; PDFsharp allows its resolver to be set
    /// only before its first use).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not ReportFonts)
                GlobalFontSettings.FontResolver = new ReportFonts();
            ChartFonts.Install();
        }
    }

    /// <inheritdoc />
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular);

    /// <inheritdoc />
    public byte[] GetFont(string faceName) => Bytes(faceName == Bold ? Bold : Regular);
}
