using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet compliance policy show</c>: the policy in force, who applied it, and its YAML.</summary>
internal sealed class CompliancePolicyShowCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var p = await client.GetAsync<PolicyView>("/api/v1/compliance/policy", cancellationToken);
        if (settings.Json)
        {
            Render.Json(p);
            return 0;
        }

        AnsiConsole.MarkupLine($"version  [bold]{Markup.Escape(p.Version)}[/]");
        AnsiConsole.MarkupLine(p.AppliedAt is null
            ? "applied  [grey]the built-in default[/]"
            : $"applied  {ComplianceRender.At(p.AppliedAt)} by {Markup.Escape(p.AppliedBy)}");
        Console.WriteLine();
        Console.Write(p.Yaml.EndsWith('\n') ? p.Yaml : p.Yaml + "\n"); // as is: ready to edit and apply
        return 0;
    }
}
