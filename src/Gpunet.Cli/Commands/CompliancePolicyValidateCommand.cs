using System.ComponentModel;
using Gpunet.Core.Compliance;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance policy validate FILE</c>: checks a policy file here, with the coordinator's own parser;
/// no coordinator needed. Exit code 1 when it is invalid.</summary>
internal sealed class CompliancePolicyValidateCommand : Command<CompliancePolicyValidateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The policy file (YAML)")]
        public string File { get; init; } = "";

        [CommandOption("--json")]
        [Description("Print JSON for scripts: {valid, version, errors: [[{line, field, message}]]}")]
        public bool Json { get; init; }
    }

    /// <summary>What <c>--json</c> prints.</summary>
    internal sealed record Validation(bool Valid, string? Version, IReadOnlyList<PolicyError> Errors);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (policy, errors) = CompliancePolicyParser.Parse(ComplianceFiles.ReadText(settings.File, "FILE"));
        if (settings.Json)
        {
            Render.Json(new Validation(policy is not null, policy?.Version, errors));
        }
        else if (policy is not null)
        {
            AnsiConsole.MarkupLine($"[green]valid[/]: version {Markup.Escape(policy.Version)}");
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]NOT valid[/]: {errors.Count} {(errors.Count == 1 ? "error" : "errors")} in {Markup.Escape(settings.File)}");
            foreach (var e in errors)
                AnsiConsole.MarkupLine($"  {Markup.Escape(e.ToString())}");
        }

        return policy is not null ? 0 : 1;
    }
}
