using ScottPlot;

namespace Gpunet.Cli.Sla;

/// <summary>The chart of a report's daily availability (the days service was owed), with the tier's promise as a
/// dashed line, as a PNG.</summary>
internal static class SlaChart
{
    /// <summary>The chart, laid out at <paramref name="width"/> × <paramref name="height"/> and drawn at
    /// <paramref name="scale"/> times that many pixels (sharp in print); null when no day owed service.</summary>
    public static byte[]? Png(SlaReportView report, decimal? promisePercent, int width, int height, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(report);
        var days = report.Daily.Where(d => d.ObligatedSeconds > 0).ToList();
        if (days.Count == 0)
            return null;
        ReportFonts.Install();
        using var plot = new Plot { ScaleFactor = scale };
        var xs = days.Select(d => d.Day.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        var ys = days.Select(d => d.Availability * 100).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = "availability per UTC day";
        line.MarkerSize = 6;
        line.LineWidth = 2;
        var low = ys.Min();
        if (promisePercent is { } promise)
        {
            var bound = plot.Add.HorizontalLine((double)promise);
            bound.LinePattern = LinePattern.Dashed;
            bound.Color = Colors.FireBrick;
            bound.LegendText = $"promise {promise} %";
            low = Math.Min(low, (double)promise);
        }

        // Enough room below the lowest point or the promise that both show; availability never passes 100 %.
        var margin = Math.Max((100 - low) * 0.15, 0.05);
        plot.Axes.SetLimitsY(Math.Max(0, low - margin), 100 + margin);
        plot.Axes.SetLimitsX(xs[0] - 0.6, xs[^1] + 0.6);
        plot.Axes.DateTimeTicksBottom();
        plot.YLabel("availability (%)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot.GetImageBytes(width * scale, height * scale, ImageFormat.Png);
    }
}
