using System.Globalization;
using Gpunet.Core.Compliance;
using Spectre.Console;

namespace Gpunet.Cli.Commands;

/// <summary>Output shared by the <c>kyc</c>, <c>compliance</c> and <c>audit</c> commands.</summary>
internal static class ComplianceRender
{
    public static string Kyc(KycState state) => state switch
    {
        KycState.Approved => "[green]Approved[/]",
        KycState.Pending => "[blue]Pending[/]",
        KycState.Rejected => "[red]Rejected[/]",
        KycState.Expired => "[yellow]Expired[/]",
        _ => "[grey]Unverified[/]",
    };

    /// <summary><c>0x1234…abcd</c>: enough of an address to tell rows apart in a table; <c>show</c> and <c>--json</c> have it whole.</summary>
    public static string ShortAddress(string address) => address.Length <= 14 ? address : $"{address[..6]}…{address[^4..]}";

    public static string At(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) : "-";

    /// <summary>One line on a submission after it was sent or decided: id, state, screening.</summary>
    public static void Submission(KycSubmissionView s)
    {
        AnsiConsole.MarkupLine($"submission [bold]{Markup.Escape(s.Id)}[/] ({Markup.Escape(s.Kind)} {Markup.Escape(s.LegalName)}, {Markup.Escape(s.Address)}): " +
            Kyc(s.State) + (s.Final ? " [red](final)[/]" : "") + (s.Reason is null ? "" : $" [grey]{Markup.Escape(s.Reason)}[/]"));
        AnsiConsole.MarkupLine($"screening        {Markup.Escape(s.Screening)}: {Markup.Escape(s.ScreeningSummary)} [grey](list {Markup.Escape(s.ListVersion)})[/]");
    }

    /// <summary>The hosts paused and leases ended by a compliance change, each with its reason.</summary>
    public static void Enforced(IReadOnlyList<EnforcedItem> hostsPaused, IReadOnlyList<EnforcedItem> leasesEnded, int? hostsUnlisted, int? leasesUnlisted)
    {
        foreach (var (title, items, unlisted) in new[] { ("hosts paused", hostsPaused, hostsUnlisted), ("leases ended", leasesEnded, leasesUnlisted) })
        {
            var count = items.Count + (unlisted ?? 0);
            AnsiConsole.MarkupLine($"{title,-16} {(count == 0 ? "[grey]none[/]" : $"[yellow]{count}[/]")}");
            foreach (var item in items)
                AnsiConsole.MarkupLine($"  {Markup.Escape(item.Id)} [grey]{Markup.Escape(item.Reason)}[/]");
            if (unlisted is { } more)
                AnsiConsole.MarkupLine($"  [grey]and {more:N0} more (gpunet audit names every one)[/]");
        }
    }

    /// <summary>Whether a host may serve, every rule that stops it, its operator's KYC and its location check.</summary>
    public static void Host(HostComplianceView h)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Host[/]", Markup.Escape(h.HostId));
        grid.AddRow("Allowed", h.Allowed ? "[green]yes[/]" : "[red]no[/]");
        grid.AddRow("Policy", Markup.Escape(h.PolicyVersion));
        grid.AddRow("Operator KYC", Kyc(h.OperatorKyc));
        foreach (var r in h.Reasons)
            grid.AddRow("[red]Stopped by[/]", $"{Markup.Escape(r.Rule)}: {Markup.Escape(r.Message)}");
        if (h.Location is { } l)
        {
            grid.AddRow("Address", Markup.Escape($"{l.Address} ({l.Source})"));
            grid.AddRow("Country", Markup.Escape($"resolved {l.ResolvedCountry ?? "unknown"}, declared {l.DeclaredCountry}"));
            grid.AddRow("Location check", $"{Markup.Escape(l.Check)} [grey]{Markup.Escape(l.Detail)}[/]");
            grid.AddRow("Database", Markup.Escape($"{l.Database}, checked {At(l.CheckedAt)}"));
            grid.AddRow("Clearance", l.ClearedBy is null ? "[grey]none[/]" : Markup.Escape($"by {l.ClearedBy} at {At(l.ClearedAt)}: {l.ClearedReason}"));
        }
        else
        {
            grid.AddRow("Location check", "[grey]not checked yet[/]");
        }

        AnsiConsole.Write(grid);
    }
}
