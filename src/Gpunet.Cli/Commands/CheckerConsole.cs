using System.Globalization;
using System.Text.Json;
using Gpunet.Checker;
using Gpunet.Protocol;
using Spectre.Console;

namespace Gpunet.Cli.Commands;

/// <summary>What <c>gpunet checker</c> prints: a line per event, or with <c>--json</c> one JSON object a line.</summary>
/// <remarks>Checks end on several threads at once: a lock keeps each line whole.</remarks>
internal sealed class CheckerConsole(bool json) : ICheckerObserver
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    private readonly Lock _lock = new();

    public void Started(string address, string keyFile, bool created, Uri coordinator, double? lat, double? lon, string country, bool lazy)
    {
        if (json)
        {
            Line(new { @event = "started", address, keyFile, keyCreated = created, coordinator = coordinator.ToString(), latitude = lat, longitude = lon, country, lazy });
            return;
        }

        if (created)
            AnsiConsole.MarkupLineInterpolated($"[grey]created the checker key {keyFile}; the operator grants it a licence with: gpunet checkers grant {address}[/]");
        AnsiConsole.MarkupLineInterpolated($"[bold]Checker[/] {address} → {coordinator} ({CheckerCommand.Place(lat, lon, country)}){(lazy ? " [yellow]lazy: reports pass without probing[/]" : "")}");
    }

    public void Admitted(string network)
    {
        if (json)
            Line(new { @event = "admitted", network });
        else
            Markup($"[green]admitted[/] on network {Escape(network)}");
    }

    public void NotLicensed(string reason, TimeSpan retryIn)
    {
        var seconds = retryIn.TotalSeconds;
        if (json)
            Line(new { @event = "notLicensed", reason, retryInSeconds = seconds });
        else
            Markup(string.Create(CultureInfo.InvariantCulture,
                $"[yellow]not admitted[/]: {Escape(reason)} — the operator grants a licence with gpunet checkers grant ADDRESS; asking again in {seconds:0} s"));
    }

    public void Reported(Assignment assignment, CheckReport report)
    {
        if (json)
        {
            Line(new
            {
                @event = "report",
                checkId = report.CheckId,
                kind = assignment.Kind,
                hostId = assignment.HostId,
                passed = report.Passed,
                reason = report.Reason,
                roundTripUs = report.RoundTripUs,
                throughputMbps = report.ThroughputMbps,
                gpus = report.Gpus.Select(g => new { index = g.Index, passed = g.Passed, productCorrect = g.ProductCorrect, answeredUs = g.AnsweredUs, expectedUs = g.ExpectedUs, reason = g.Reason }),
                signedAt = report.SignedAtUnixSeconds,
                signature = report.Signature,
            });
            return;
        }

        Markup($"{(report.Passed ? "[green]pass[/]" : "[red]fail[/]")} {Escape(assignment.Kind)} {Escape(assignment.HostId)} ({Escape(report.CheckId)}): {Escape(report.Reason)}");
    }

    public void Acknowledged(ReportAck ack)
    {
        if (json)
            Line(new { @event = "ack", checkId = ack.CheckId, accepted = ack.Accepted, reason = ack.Reason });
        else if (!ack.Accepted)
            Markup($"[yellow]report refused[/] ({Escape(ack.CheckId)}): {Escape(ack.Reason)}");
    }

    private static string Escape(string text) => Spectre.Console.Markup.Escape(text);

    private void Markup(string line)
    {
        lock (_lock)
            AnsiConsole.MarkupLine(line);
    }

    private void Line(object value)
    {
        var text = JsonSerializer.Serialize(value, Options);
        lock (_lock)
            Console.WriteLine(text);
    }
}
