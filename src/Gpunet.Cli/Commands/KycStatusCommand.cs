using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet kyc status</c>: where your own KYC/KYB verification stands.</summary>
internal sealed class KycStatusCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var k = await client.GetAsync<KycStatusView>("/api/v1/kyc", cancellationToken);
        if (settings.Json)
        {
            Render.Json(k);
            return 0;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Address[/]", Markup.Escape(k.Address));
        grid.AddRow("KYC", ComplianceRender.Kyc(k.State) + (k.Final ? " [red](final: no new submission is taken)[/]" : ""));
        if (k.SubmissionId is not null)
            grid.AddRow("Submission", Markup.Escape(k.SubmissionId));
        if (k.Country is not null)
            grid.AddRow("Country", Markup.Escape(k.ParentCountry is null ? k.Country : $"{k.Country} (parent {k.ParentCountry})"));
        if (k.ExpiresAt is not null)
            grid.AddRow("Expires", ComplianceRender.At(k.ExpiresAt));
        if (k.Reason is not null)
            grid.AddRow("Reason", Markup.Escape(k.Reason));
        AnsiConsole.Write(grid);
        return 0;
    }
}
