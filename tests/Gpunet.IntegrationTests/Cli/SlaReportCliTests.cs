using System.Text;
using System.Text.Json;
using Gpunet.Cli;
using Gpunet.Cli.Sla;
using Gpunet.Contracts.Sla;
using Gpunet.IntegrationTests.Services;
using Gpunet.IntegrationTests.Services.Sla;
using Gpunet.IntegrationTests.Support;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet sla report</c>: the real program against a fake-clock coordinator (JSON, CSV, PDF), and the CSV
/// and PDF renderers on a report with every kind of window.</summary>
public sealed class SlaReportCliTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SlaReport_JsonCsvPdf_FromTheCoordinator()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var home = TestCoordinator.NewDataDir();
        var keyFile = Path.Combine(home, "customer.key");
        var (month, owner, leaseId, host) = await SlaReportApiTests.LeaseAsync(c, customer: Keys.LoadOrCreate(keyFile));
        await SlaReportApiTests.AddCreditAsync(c, leaseId, owner.Address.Value, host.HostId, month, 250_000_000);
        string[] me = ["--coordinator", c.ApiUrl, "--key", keyFile];

        var json = await GpunetProcess.RunAsync(home, null, ["sla", "report", "--lease", leaseId, "--json", .. me]);
        Assert.True(json.ExitCode == 0, json.Stderr);
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(1.0, report.GetProperty("availability").GetDouble());
        Assert.Equal(0.0, report.GetProperty("downtimeSeconds").GetDouble());
        Assert.Equal("2.5", report.GetProperty("credits")[0].GetProperty("credited").GetString());
        Assert.Equal(month, report.GetProperty("month").GetString());

        var csv = await GpunetProcess.RunAsync(home, null, ["sla", "report", "--lease", leaseId, "--csv", .. me]);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.Equal([[.. SlaReportCsv.Columns]], ParseCsv(csv.Stdout));

        var pdf = Path.Combine(home, "report.pdf");
        var written = await GpunetProcess.RunAsync(home, null, ["sla", "report", "--lease", leaseId, "--month", month, "--pdf", pdf, .. me]);
        Assert.True(written.ExitCode == 0, written.Stderr);
        var text = PdfText(pdf);
        Assert.Contains(leaseId, text, StringComparison.Ordinal);
        Assert.Contains(owner.Address.Value, text, StringComparison.Ordinal);
        Assert.Contains(host.Wallet.Address.Value, text, StringComparison.Ordinal);
        Assert.Contains($"{month} (UTC)", text, StringComparison.Ordinal);

        var refused = await GpunetProcess.RunAsync(home, null, ["sla", "report", "--lease", leaseId, "--host", host.HostId, .. me]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("one subject", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_WindowsWithCommasQuotesAndFormulas_ParseBackToTheWindows()
    {
        var report = Report();

        var rows = ParseCsv(SlaReportCsv.Write(report));

        Assert.Equal([.. SlaReportCsv.Columns], rows[0]);
        Assert.Equal(report.Windows.Count + 1, rows.Count);
        Assert.Equal(["2026-03-02T23:00:00Z", "2026-03-03T01:00:00Z", "7200", "host-lost", "true", "host-0123456789ab", "no heartbeat, \"stream lost\"\nthen offline"], rows[1]);
        Assert.Equal("maintenance", rows[2][3]);
        Assert.Equal("false", rows[2][4]);
        // An operator's reason that a spreadsheet would run as a formula is written inert.
        Assert.Equal("'=HYPERLINK(\"http://x\")", rows[2][6]);
        Assert.Equal("", rows[3][5]);
    }

    [Fact]
    public void Pdf_HostReport_NamesThePeriodPartiesFiguresAndEveryWindow()
    {
        var report = Report() with { Subject = "host", Id = "host-0123456789ab", HostSlo = [new HostSloDayView(new DateOnly(2026, 3, 2), 3600, 0.958, false)], HostMonthlyUptime = 0.995, HostSloMet = false };
        var parties = new SlaReportParties("testnet", "http://127.0.0.1:7070", null, [new HostParty("host-0123456789ab", "0x00000000000000000000000000000000000000aa")]);
        using var output = new MemoryStream();

        SlaReportPdf.Write(report, parties, 99.5m, March.AddDays(10), output);

        var bytes = output.ToArray();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        var file = Path.Combine(TestCoordinator.NewDataDir(), "host.pdf");
        File.WriteAllBytes(file, bytes);
        var text = PdfText(file);
        foreach (var expected in new[]
        {
            "Service level report", "host host-0123456789ab", "2026-03-01 00:00:00 UTC", "2026-03-10 12:00:00 UTC",
            "0x00000000000000000000000000000000000000aa", "testnet", "99.5 % monthly availability", "99.700 %", "PROMISE MISSED",
            "host-lost", "maintenance", "1.25 tokens", "Host SLO", "2026-03-02", "Generated 2026-03-11 00:00:00 UTC",
        })
            Assert.Contains(expected, text, StringComparison.Ordinal);
        using var document = PdfReader.Open(file, PdfDocumentOpenMode.Import);
        Assert.Contains("host-0123456789ab", document.Info.Title, StringComparison.Ordinal);
        // The chart of daily availability is an image on one of its pages.
        Assert.Contains(document.Pages.Cast<PdfPage>().SelectMany(p => p.Resources.Elements.GetDictionary("/XObject")?.Elements.Values ?? []),
            x => (x is PdfReference r ? r.Value : x) is PdfDictionary d && d.Elements.GetName("/Subtype") == "/Image");
    }

    internal static SlaReportView Report() => new(
        "lease", "lease-0123456789ab", "2026-03", March, March.AddDays(9).AddHours(12), "business", 0.997, 820_800, 2462.4, 3600, false,
        [new SlaCreditView("lease-0123456789ab", 3, March.AddDays(4), "host-0123456789ab", "business", 0.997, "1.25", "0", "availability 99.7 % below 99.5 %... ")],
        "1.25",
        [
            new DowntimeWindowView(March.AddDays(1).AddHours(23), March.AddDays(2).AddHours(1), 7200, "host-lost", "no heartbeat, \"stream lost\"\nthen offline", true, "host-0123456789ab"),
            new DowntimeWindowView(March.AddDays(4), March.AddDays(4).AddHours(1), 3600, "maintenance", "=HYPERLINK(\"http://x\")", false, "host-0123456789ab"),
            new DowntimeWindowView(March.AddDays(5), March.AddDays(5).AddMinutes(2), 120, "host-lost", "waiting for a new host", true, null),
        ],
        [.. Enumerable.Range(0, 10).Select(i => new SlaDayView(new DateOnly(2026, 3, 1 + i), i == 9 ? 43_200 : 86_400, i == 1 ? 3600 : 0, i == 1 ? 0.958 : 1))],
        [], null, null);

    /// <summary>Every word the PDF's pages draw: their content streams, decoded (the report writes WinAnsi strings).</summary>
    internal static string PdfText(string file)
    {
        Assert.Equal("%PDF-"u8.ToArray(), File.ReadAllBytes(file)[..5]);
        using var document = PdfReader.Open(file, PdfDocumentOpenMode.Import);
        var text = new StringBuilder();
        foreach (var page in document.Pages)
        {
            for (var i = 0; i < page.Contents.Elements.Count; i++)
            {
                var bytes = page.Contents.Elements.GetDictionary(i)!.Stream.UnfilteredValue;
                text.Append(Encoding.Latin1.GetString(bytes).Replace("\\(", "(", StringComparison.Ordinal).Replace("\\)", ")", StringComparison.Ordinal));
            }
        }

        return text.ToString();
    }

    /// <summary>RFC 4180: fields split on commas, quoted fields may hold commas, quotes (doubled) and line breaks; rows end
    /// with CRLF.</summary>
    internal static List<List<string>> ParseCsv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var ch = csv[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                    (field, i) = (field.Append('"'), i + 1);
                else if (ch == '"')
                    quoted = false;
                else
                    field.Append(ch);
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(ch is '\r' or '\n', $"a bare line break outside quotes at {i}: rows end with CRLF");
                field.Append(ch);
            }
        }

        Assert.True(row.Count == 0 && field.Length == 0, "the last row ends with CRLF");
        return rows;
    }
}
