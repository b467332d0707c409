using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance clear-location HOST --reason TEXT</c>: a compliance officer clears a host whose address
/// did not confirm its declared location; prints the host's compliance after.</summary>
internal sealed class ComplianceClearLocationCommand : AsyncCommand<ComplianceClearLocationCommand.Settings>
{
    public sealed class Settings : ComplianceHostSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("The evidence that places the host where it says (at most 500 characters); recorded in the audit log")]
        public string? Reason { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason: a clearance needs the evidence that places the host where it says") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var h = await client.PostAsync<HostComplianceView>($"/api/v1/compliance/hosts/{Uri.EscapeDataString(settings.Host)}/clear-location",
            new ClearRequest(settings.Reason), cancellationToken);
        if (settings.Json)
            Render.Json(h);
        else
            ComplianceRender.Host(h);
        return 0;
    }
}
