using Gpunet.Cli.Client;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance host HOST</c>: whether a host may serve, every rule that stops it, and its location check.</summary>
internal sealed class ComplianceHostCommand : AsyncCommand<ComplianceHostSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ComplianceHostSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var h = await client.GetAsync<HostComplianceView>($"/api/v1/compliance/hosts/{Uri.EscapeDataString(settings.Host)}", cancellationToken);
        if (settings.Json)
            Render.Json(h);
        else
            ComplianceRender.Host(h);
        return 0;
    }
}
