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
            windows.AddRange(page.Windows);
            credits.AddRange(page.Credits);
        }

        return first with { Windows = windows, Credits = credits, WindowsUnlisted = null, CreditsUnlisted = null };
    }
}
