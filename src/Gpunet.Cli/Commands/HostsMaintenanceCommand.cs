using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet hosts maintenance HOST [--from T --to T [--reason R] | --cancel ID] [--json]</c>: declare a
/// maintenance window for your host, withdraw one before it begins, or list the host's windows.</summary>
internal sealed partial class HostsMaintenanceCommand(TimeProvider? time = null) : AsyncCommand<HostsMaintenanceCommand.Settings>
{
    public sealed class Settings : HostsSettings
    {
        [CommandArgument(0, "<HOST>")]
        [Description("Host id (host-…)")]
        public string Host { get; init; } = "";

        [CommandOption("--from <TIME>")]
        [Description("Declare a window beginning then: ISO 8601 (2026-12-07T02:00Z; no offset means UTC) or now+DURATION (now+25h, now+2d, now+90m)")]
        public string? From { get; init; }

        [CommandOption("--to <TIME>")]
        [Description("The window's end, as --from")]
        public string? To { get; init; }

        [CommandOption("--reason <TEXT>")]
        [Description("What the maintenance is for (at most 500 characters); the host's customers see it")]
        public string? Reason { get; init; }

        [CommandOption("--cancel <ID>")]
        [Description("Withdraw the window with this id before it begins")]
        public long? Cancel { get; init; }

        public override ValidationResult Validate() =>
            (From is null) != (To is null) ? ValidationResult.Error("--from and --to: give both to declare a window")
            : Cancel is not null && From is not null ? ValidationResult.Error("--cancel: withdraw a window or declare one, not both")
            : Reason is not null && From is null ? ValidationResult.Error("--reason: goes with --from and --to")
            : Cancel is < 1 ? ValidationResult.Error("--cancel: a window id (a positive number)")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var path = $"/api/v1/hosts/{Uri.EscapeDataString(settings.Host)}/maintenance";
        if (settings.From is { } from && settings.To is { } to)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            var request = new MaintenanceRequest(Time("--from", from, now), Time("--to", to, now), settings.Reason);
            Print(settings.Json, "Declared", await client.PostAsync<MaintenanceWindowView>(path, request, cancellationToken));
            return 0;
        }

        if (settings.Cancel is { } id)
        {
            Print(settings.Json, "Withdrawn", await client.PostAsync<MaintenanceWindowView>($"{path}/{id}/cancel", null, cancellationToken));
            return 0;
        }

        var windows = await client.GetAsync<List<MaintenanceWindowView>>(path, cancellationToken);
        if (settings.Json)
        {
            Render.Json(windows);
            return 0;
        }

        var table = new Table().RoundedBorder().Title($"Maintenance windows of [bold]{Markup.Escape(settings.Host)}[/]")
            .AddColumns("Id", "From (UTC)", "To (UTC)", "Reason", "Withdrawn");
        foreach (var w in windows)
        {
            table.AddRow(w.Id.ToString(CultureInfo.InvariantCulture), Utc(w.From), Utc(w.To), Markup.Escape(w.Reason),
                w.CancelledAt is { } at ? Utc(at) : "-");
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static void Print(bool json, string what, MaintenanceWindowView w)
    {
        if (json)
        {
            Render.Json(w);
            return;
        }

        AnsiConsole.MarkupLine($"{what} maintenance window [bold]{w.Id}[/] of {Markup.Escape(w.HostId)}: {Utc(w.From)} to {Utc(w.To)} UTC" +
            (w.Reason.Length > 0 ? $" [grey]({Markup.Escape(w.Reason)})[/]" : ""));
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An ISO 8601 time (UTC where it names no offset), or <c>now+N</c> with a unit of s, m, h or d.</summary>
    internal static DateTimeOffset Time(string option, string text, DateTimeOffset now)
    {
        if (Relative().Match(text.Trim()) is { Success: true } m)
        {
            var n = int.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var ahead = m.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            return ahead <= TimeSpan.FromDays(3650) ? now + ahead : throw new CliException($"{option}: '{text}' is more than ten years ahead");
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t;
        throw new CliException($"{option}: '{text}' is not a time: ISO 8601 (2026-12-07T02:00Z) or now+DURATION (now+25h)");
    }

    [GeneratedRegex(@"^now\+(\d{1,7})([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();
}
