using System.ComponentModel;
using System.Globalization;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance import-sdn FILE [--alt ALTFILE]</c>: imports a sanctions list in the OFAC SDN CSV format
/// with its aliases file (compliance officers); the coordinator screens everyone again before it answers.</summary>
internal sealed class ComplianceImportSdnCommand : AsyncCommand<ComplianceImportSdnCommand.Settings>
{
    // The full SDN and ALT files are several MB, and every participant is screened again before the answer.
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(5);

    public sealed class Settings : ClientSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The SDN list as OFAC's SDN.CSV")]
        public string File { get; init; } = "";

        [CommandOption("--alt <ALTFILE>")]
        [Description("Its aliases file (OFAC's ALT.CSV). Default the file beside FILE named like it with sdn → alt (sdn-sample.csv → alt-sample.csv), else alt.csv, if there is one")]
        public string? Alt { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var sdn = ComplianceFiles.ReadText(settings.File, "FILE");
        var altFile = settings.Alt ?? ComplianceFiles.AliasesBeside(settings.File);
        var alt = altFile is null ? null : ComplianceFiles.ReadText(altFile, "--alt");
        if (settings.Alt is null)
        {
            // On stderr, so that --json stays one JSON document on stdout.
            Console.Error.WriteLine(altFile is null
                ? $"no aliases file beside {settings.File}: importing the names in it alone (pass --alt ALTFILE)"
                : $"aliases from {altFile} (found beside {settings.File})");
        }

        using var client = CoordinatorClient.From(settings, timeout: UploadTimeout);
        var request = new SanctionsRequest(sdn, alt);
        var size = (sdn.Length + (alt?.Length ?? 0)) / (1024.0 * 1024.0);
        var imported = settings.Json
            ? await Import()
            : await AnsiConsole.Status().StartAsync(
                string.Create(CultureInfo.InvariantCulture, $"Uploading {size:0.0} MB; the coordinator screens everyone again…"), _ => Import());
        if (settings.Json)
        {
            Render.Json(imported);
            return 0;
        }

        AnsiConsole.MarkupLine($"[green]imported[/] list version [bold]{Markup.Escape(imported.Version)}[/]: {imported.Entries} entries, {imported.Names} names");
        AnsiConsole.MarkupLine($"re-screened      {imported.Screened} participants: " +
            $"{(imported.Rejected > 0 ? $"[red]{imported.Rejected} rejected[/]" : "0 rejected")}, " +
            $"{(imported.Review > 0 ? $"[yellow]{imported.Review} sent to review[/]" : "0 sent to review")}");
        ComplianceRender.Enforced(imported.HostsPaused, imported.LeasesEnded, imported.HostsUnlisted, imported.LeasesUnlisted);
        return 0;

        Task<SanctionsImportedView> Import() => client.PutAsync<SanctionsImportedView>("/api/v1/compliance/sanctions", request, cancellationToken);
    }
}
