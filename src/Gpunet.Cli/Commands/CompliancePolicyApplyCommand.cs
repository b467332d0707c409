using System.ComponentModel;
using System.Net;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance policy apply FILE</c>: applies a policy (compliance officers). Refused whole with each
/// error's line, or applied, with the hosts it paused and the leases it ended.</summary>
internal sealed class CompliancePolicyApplyCommand : AsyncCommand<CompliancePolicyApplyCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The policy file (YAML); check it first with compliance policy validate")]
        public string File { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var yaml = ComplianceFiles.ReadText(settings.File, "FILE");
        using var client = CoordinatorClient.From(settings);
        PolicyAppliedView applied;
        try
        {
            applied = await client.PutAsync<PolicyAppliedView>("/api/v1/compliance/policy", new PolicyRequest(yaml), cancellationToken);
        }
        catch (CliException e) when (e.InnerException is HttpRequestException { StatusCode: HttpStatusCode.BadRequest or HttpStatusCode.Conflict })
        {
            throw new CliException(e.Message + "\nthe policy in force is unchanged", e);
        }

        if (settings.Json)
        {
            Render.Json(applied);
            return 0;
        }

        AnsiConsole.MarkupLine(applied.Unchanged
            ? $"version [bold]{Markup.Escape(applied.Version)}[/] [grey]is already in force; nothing changed[/]"
            : $"[green]applied[/] version [bold]{Markup.Escape(applied.Version)}[/]; every host and lease evaluated again");
        ComplianceRender.Enforced(applied.HostsPaused, applied.LeasesEnded, applied.HostsUnlisted, applied.LeasesUnlisted);
        return 0;
    }
}
