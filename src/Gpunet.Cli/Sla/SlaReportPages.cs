using Gpunet.Cli.Client;

namespace Gpunet.Cli.Sla;

/// <summary>A whole SLA report: the coordinator lists 1,000 windows and 1,000 credits per answer, so a report of a host
/// that flapped all month is read page by page (<c>windowsFrom</c>, <c>creditsFrom</c>) until none are left.</summary>
internal static class SlaReportPages
{
    /// <summary>The report at <paramref name="path"/> (its query included) with every window and credit: the first
    /// answer's figures and days, and the lists of all its pages.</summary>
    public static async Task<SlaReportView> WholeAsync(CoordinatorClient client, string path, CancellationToken ct)
    {
        var first = await client.GetAsync<SlaReportView>(path, ct);
        List<DowntimeWindowView> windows = [.. first.Windows];
        List<SlaCreditView> credits = [.. first.Credits];
        for (var page = first; page.WindowsUnlisted > 0 || page.CreditsUnlisted > 0;)
        {
            page = await client.GetAsync<SlaReportView>(
                FormattableString.Invariant($"{path}&windowsFrom={windows.Count}&creditsFrom={credits.Count}"), ct);
            if (page.Windows.Count == 0 && page.Credits.Count == 0)
                break; // the month's lists shrank between two reads (a report of the running month); what was read stands
            // Windows come earliest first and never overlap: a page that starts again is a coordinator that does not page.
            if ((page.Windows.Count > 0 && windows.Count > 0 && page.Windows[0].Start <= windows[^1].Start)
                || (page.Credits.Count > 0 && credits.Count > 0 && page.Credits[0] == credits[0]))
            {
                throw new CliException($"{client.BaseUri} lists the first {first.Windows.Count:N0} windows and {first.Credits.Count:N0} credits " +
                    "of this report and does not page through the rest (windowsFrom, creditsFrom): upgrade it; the table (without --json, --csv or --pdf) shows what it lists");
            }

            windows.AddRange(page.Windows);
            credits.AddRange(page.Credits);
        }

        return first with { Windows = windows, Credits = credits, WindowsUnlisted = null, CreditsUnlisted = null };
    }
}
