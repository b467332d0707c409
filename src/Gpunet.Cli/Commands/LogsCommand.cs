using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet logs LEASE [--follow]</c>: what a lease's workload wrote.</summary>
internal sealed class LogsCommand : AsyncCommand<LogsCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandArgument(0, "<LEASE>")]
        [Description("Lease id (lease-…)")]
        public string Lease { get; init; } = "";

        [CommandOption("--follow|-f")]
        [Description("Keep printing new lines until the lease ends")]
        public bool Follow { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var path = $"/api/v1/leases/{Uri.EscapeDataString(settings.Lease)}/logs{(settings.Follow ? "?follow=true" : "")}";
        try
        {
            await foreach (var line in client.StreamAsync<LogLineView>(path, cancellationToken))
            {
                if (settings.Json)
                    Render.Json(line);
                else if (line.Stream == "stderr")
                    await Console.Error.WriteLineAsync(line.Text);
                else
                    Console.WriteLine(line.Text);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return 0;
    }
}
