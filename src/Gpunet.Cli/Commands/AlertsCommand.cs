using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet alerts [--webhook URL | --no-webhook]</c>: your alerts now, each with its reason; sets or removes
/// the webhook they are also sent to.</summary>
internal sealed class AlertsCommand : AsyncCommand<AlertsCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--webhook <URL>")]
        [Description("Send your alerts to this https URL too, each once, signed; prints the signing secret (shown only now)")]
        public string? Webhook { get; init; }

        [CommandOption("--no-webhook")]
        [Description("Stop sending your alerts to the webhook")]
        public bool NoWebhook { get; init; }

        public override ValidationResult Validate() =>
            Webhook is not null && NoWebhook ? ValidationResult.Error("--webhook and --no-webhook: one or the other") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        if (settings.Webhook is { } url)
        {
            var set = await client.PutAsync<AlertWebhookView>("/api/v1/alerts/webhook", new AlertWebhookRequest(url), cancellationToken);
            if (settings.Json)
            {
                Render.Json(set);
                return 0;
            }

            AnsiConsole.MarkupLine($"Alerts go to [bold]{Markup.Escape(set.Url)}[/] too, each once. Verify the Gpunet-Signature header " +
                "(t=UNIX,v1=HMAC-SHA256 of \"t.body\") with this secret, shown only now:");
            System.Console.WriteLine(set.Secret);
            return 0;
        }

        if (settings.NoWebhook)
        {
            await client.DeleteAsync("/api/v1/alerts/webhook", cancellationToken);
            if (!settings.Json)
                AnsiConsole.MarkupLine("Alerts are no longer sent to a webhook.");
            return 0;
        }

        var alerts = await client.GetAsync<List<AlertView>>("/api/v1/alerts", cancellationToken);
        if (settings.Json)
        {
            Render.Json(alerts);
            return 0;
        }

        if (alerts.Count == 0)
        {
            AnsiConsole.MarkupLine("[green]Nothing needs you now.[/]");
            return 0;
        }

        var table = new Table().AddColumns("Kind", "About", "What and why", "Since");
        foreach (var a in alerts)
            table.AddRow(Markup.Escape(a.Kind), Markup.Escape(a.Subject), Markup.Escape(a.Message), a.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        return 0;
    }
}
