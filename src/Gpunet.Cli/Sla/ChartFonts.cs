using ScottPlot;
using SkiaSharp;

namespace Gpunet.Cli.Sla;

/// <summary>ScottPlot's typefaces from the fonts embedded in gpunet (<see cref="ReportFonts"/>), whatever family a plot asks for.</summary>
internal sealed class ChartFonts : IFontResolver
{
    private static bool _installed;
    private readonly byte[] _regular = ReportFonts.Bytes("DejaVuSans"), _bold = ReportFonts.Bytes("DejaVuSans-Bold");

    /// <summary>Puts this resolver first and makes DejaVu Sans the default family; callers hold <see cref="ReportFonts"/>'s lock.</summary>
    public static void Install()
    {
        if (_installed)
            return;
        Fonts.FontResolvers.Insert(0, new ChartFonts());
        Fonts.Default = ReportFonts.Family;
        _installed = true;
    }

    /// <inheritdoc />
    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        Typeface(weight >= FontWeight.SemiBold);

    /// <inheritdoc />
    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Typeface(bold);

    private SKTypeface Typeface(bool bold)
    {
        using var data = SKData.CreateCopy(bold ? _bold : _regular);
        return SKTypeface.FromData(data);
    }
}
