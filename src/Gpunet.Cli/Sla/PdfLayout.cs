using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Gpunet.Cli.Sla;

/// <summary>Text, tables and images laid top to bottom on A4 pages, a new page when one is full, and a footer on every
/// page at the end. Text is WinAnsi-encoded (Latin-1 and the usual typographic marks), so the content streams carry it
/// as plain strings that any PDF tool can search.</summary>
internal sealed class PdfLayout : IDisposable
{
    public const double Margin = 50;
    private const double FooterHeight = 24;
    private static readonly XPdfFontOptions WinAnsi = new(PdfFontEncoding.WinAnsi);
    private readonly PdfDocument _document;
    private XGraphics _gfx;
    private double _y;
    private bool _closed;

    // Before any instance's fonts are made (their initializers run ahead of the constructor's body).
    static PdfLayout() => ReportFonts.Install();

    public PdfLayout(PdfDocument document)
    {
        _document = document;
        _gfx = NewPage();
    }

    public XFont Regular { get; } = new(ReportFonts.Family, 9.5, XFontStyleEx.Regular, WinAnsi);

    public XFont Bold { get; } = new(ReportFonts.Family, 9.5, XFontStyleEx.Bold, WinAnsi);

    public XFont Small { get; } = new(ReportFonts.Family, 7.5, XFontStyleEx.Regular, WinAnsi);

    public XFont SmallBold { get; } = new(ReportFonts.Family, 7.5, XFontStyleEx.Bold, WinAnsi);

    public XFont Heading { get; } = new(ReportFonts.Family, 12.5, XFontStyleEx.Bold, WinAnsi);

    public XFont Title { get; } = new(ReportFonts.Family, 19, XFontStyleEx.Bold, WinAnsi);

    private double Width => _document.Pages[^1].Width.Point - (2 * Margin);

    private double Bottom => _document.Pages[^1].Height.Point - Margin - FooterHeight;

    /// <summary>A line of text; long text is cut to the width with an ellipsis.</summary>
    public void Line(string text, XFont? font = null, XBrush? brush = null, double after = 3)
    {
        font ??= Regular;
        var height = font.GetHeight();
        Room(height);
        _gfx.DrawString(Fit(text, font, Width), font, brush ?? XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
        _y += height + after;
    }

    /// <summary>A section's heading, kept with at least a few lines after it.</summary>
    public void Section(string text)
    {
        Room(Heading.GetHeight() + 60);
        _y += 8;
        Line(text, Heading, after: 2);
        _gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, _y, Margin + Width, _y);
        _y += 5;
    }

    /// <summary>Label and value pairs, labels bold in a column of their own.</summary>
    public void Pairs(IEnumerable<(string Label, string Value)> pairs, double labelWidth = 150)
    {
        foreach (var (label, value) in pairs)
        {
            var height = Regular.GetHeight();
            Room(height);
            _gfx.DrawString(Fit(label, Bold, labelWidth - 6), Bold, XBrushes.Black, new XRect(Margin, _y, labelWidth, height), XStringFormats.TopLeft);
            _gfx.DrawString(Fit(value, Regular, Width - labelWidth), Regular, XBrushes.Black,
                new XRect(Margin + labelWidth, _y, Width - labelWidth, height), XStringFormats.TopLeft);
            _y += height + 3;
        }
    }

    /// <summary>A table: a bold header row repeated on each new page, then the rows; <paramref name="widths"/> are
    /// shares of the page's width; a cell too long for its column is cut with an ellipsis.</summary>
    public void Table(IReadOnlyList<string> header, IReadOnlyList<double> widths, IEnumerable<IReadOnlyList<string>> rows)
    {
        var height = Small.GetHeight() + 4;
        var columns = widths.Select(w => w * Width).ToArray();
        Room(2 * height);
        Row(header, columns, height, header: true);
        var shade = false;
        foreach (var row in rows)
        {
            if (_y + height > Bottom)
            {
                _gfx = NewPage();
                Row(header, columns, height, header: true);
            }

            if (shade)
                _gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(244, 244, 246)), Margin, _y, Width, height);
            shade = !shade;
            Row(row, columns, height, header: false);
        }

        _y += 4;
    }

    /// <summary>A PNG image across the page's width, <paramref name="aspect"/> (height ÷ width) tall.</summary>
    public void Image(byte[] png, double aspect)
    {
        var height = Width * aspect;
        Room(height);
        using var stream = new MemoryStream(png);
        using var image = XImage.FromStream(stream);
        _gfx.DrawImage(image, Margin, _y, Width, height);
        _y += height + 6;
    }

    /// <summary>Writes <paramref name="text"/> at the foot of every page, with "page N of M".</summary>
    public void Footers(string text)
    {
        _gfx.Dispose();
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin - Small.GetHeight();
            gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, y - 4, page.Width.Point - Margin, y - 4);
            gfx.DrawString(Fit(text, Small, Width - 70), Small, XBrushes.DimGray, new XRect(Margin, y, Width, 12), XStringFormats.TopLeft);
            gfx.DrawString($"page {i + 1} of {count}", Small, XBrushes.DimGray, new XRect(Margin, y, page.Width.Point - (2 * Margin), 12), XStringFormats.TopRight);
        }

        // The layout is done: nothing more may be drawn (an empty graphics left open writes an empty stream PDF readers reject).
        _closed = true;
    }

    public void Dispose()
    {
        if (!_closed)
            _gfx.Dispose();
    }

    private void Row(IReadOnlyList<string> cells, double[] columns, double height, bool header)
    {
        var font = header ? SmallBold : Small;
        var x = Margin;
        for (var i = 0; i < columns.Length; i++)
        {
            var text = i < cells.Count ? cells[i] : "";
            _gfx.DrawString(Fit(text, font, columns[i] - 4), font, XBrushes.Black, new XRect(x + 2, _y + 2, columns[i] - 4, height - 2), XStringFormats.TopLeft);
            x += columns[i];
        }

        if (header)
            _gfx.DrawLine(new XPen(XColors.Black, 0.6), Margin, _y + height, Margin + Width, _y + height);
        _y += height;
    }

    /// <summary>Starts a new page when <paramref name="height"/> more does not fit on this one.</summary>
    private void Room(double height)
    {
        if (_y + height > Bottom)
            _gfx = NewPage();
    }

    private XGraphics NewPage()
    {
        if (_document.PageCount > 0)
            _gfx.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _y = Margin;
        return XGraphics.FromPdfPage(page);
    }

    /// <summary><paramref name="text"/>, cut with an ellipsis to fit <paramref name="width"/> points.</summary>
    private string Fit(string text, XFont font, double width)
    {
        if (_gfx.MeasureString(text, font).Width <= width)
            return text;
        var low = 0;
        var high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (_gfx.MeasureString(text[..mid] + "…", font).Width <= width)
                low = mid;
            else
                high = mid - 1;
        }

        return text[..low] + "…";
    }
}
