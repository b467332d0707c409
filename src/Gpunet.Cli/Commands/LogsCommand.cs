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
            var attempt = 1;
            await foreach (var line in client.StreamAsync<LogLineView>(path, cancellationToken))
            {
                if (settings.Json)
                {
                    Render.Json(line);
                    continue;
                }

                if (line.Attempt != attempt)
                {
                    // The lease moved: say so between the attempts' lines, naming the host where the new one runs.
                    attempt = line.Attempt;
                    await Console.Error.WriteLineAsync(await MovedAsync(client, settings.Lease, attempt, cancellationToken));
                }

                if (line.Stream == "stderr")
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

    /// <summary>The line printed where attempt <paramref name="attempt"/>'s lines start.</summary>
    private static async Task<string> MovedAsync(CoordinatorClient client, string leaseId, int attempt, CancellationToken ct)
    {
        var lease = await client.GetAsync<LeaseView>($"/api/v1/leases/{Uri.EscapeDataString(leaseId)}", ct);
        // Each attempt after the first starts where the lease went Starting again; the attempt-th such event names its
        // host. The same host as the attempt before: its agent restarted before the start was heard, and ran it again.
        var hosts = lease.History?.Where(e => e.State == "Starting" && e.HostId is not null).Select(e => e.HostId).ToList() ?? [];
        var host = hosts.ElementAtOrDefault(attempt - 1);
        if (host is not null && attempt >= 2 && hosts[attempt - 2] == host)
            return $"[gpunet: attempt {attempt}: the lease started again on host {host}; the lines below are its]";
        return $"[gpunet: attempt {attempt}: the lease moved{(host is null ? "" : $" to host {host}")}; the lines below are its]";
    }
}
