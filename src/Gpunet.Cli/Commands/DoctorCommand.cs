using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gpunet.Agent.Workloads;
using Gpunet.Cli.Doctor;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet doctor [--coordinator URL] [--probe-port P] [--lease-ports FIRST-LAST] [--nvidia-smi PATH]
/// [--json]</c>: checks this host before its agent joins, and says what to fix; exit 1 when a check fails.</summary>
internal sealed class DoctorCommand : AsyncCommand<DoctorCommand.Settings>
{
    // Fixes are shell commands to copy: printed as written (no \u0026 for &&), which is still valid JSON.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--coordinator <URL>")]
        [Description("The coordinator to join: checks that it and its agent port answer, and compares this clock with its clock. Default $GPUNET_COORDINATOR; without either, the clock is judged by NTP (timedatectl)")]
        public string? Coordinator { get; init; }

        [CommandOption("--probe-port <PORT>")]
        [Description("The agent's --probe-port, checked free. Default 0: an ephemeral port")]
        public int ProbePort { get; init; }

        [CommandOption("--lease-ports <FIRST-LAST>")]
        [Description("The agent's --lease-ports, checked free. Default 30000-30999")]
        public string? LeasePorts { get; init; }

        [CommandOption("--nvidia-smi <PATH>")]
        [Description("Path of nvidia-smi. Default nvidia-smi on PATH")]
        public string NvidiaSmi { get; init; } = "nvidia-smi";

        [CommandOption("--json")]
        [Description("Print JSON for scripts: ok, and each check's name, status (ok, warn, fail), detail and fix")]
        public bool Json { get; init; }

        /// <summary><see cref="LeasePorts"/> as read by <see cref="Validate"/>.</summary>
        internal LeasePortRange PortRange { get; private set; } = LeasePortRange.Default;

        public override ValidationResult Validate()
        {
            if (ProbePort is < 0 or > 65535)
                return ValidationResult.Error("--probe-port: from 0 (an ephemeral port) to 65535");
            if (LeasePorts is not null)
            {
                if (!LeasePortRange.TryParse(LeasePorts, out var range, out var error))
                    return ValidationResult.Error($"--lease-ports: {error}");
                PortRange = range.Value;
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var home = GpunetHome.Current();
        var url = s.Coordinator ?? Environment.GetEnvironmentVariable("GPUNET_COORDINATOR");
        var request = new DoctorRequest(s.NvidiaSmi, url is null ? null : CoordinatorUrl.Resolve(url, home), s.ProbePort, s.PortRange, home.Path);
        var report = await HostDoctor.ExamineAsync(request, DoctorProbes.Real(TimeProvider.System), cancellationToken);
        if (s.Json)
            Console.WriteLine(JsonSerializer.Serialize(report, Json));
        else
            Show(report);
        return report.Ok ? 0 : 1;
    }

    private static void Show(DoctorReport report)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("check", "status", "what was seen");
        foreach (var c in report.Checks)
            table.AddRow(Markup.Escape(c.Name), Status(c.Status), Markup.Escape(c.Detail));
        AnsiConsole.Write(table);
        foreach (var c in report.Checks.Where(c => c.Fix is not null))
            AnsiConsole.MarkupLine($"{(c.Status == DoctorStatus.Fail ? "[red]fix[/]" : "[yellow]fix[/]")} {Markup.Escape(c.Name)}: {Markup.Escape(c.Fix!)}");
        var fails = report.Checks.Count(c => c.Status == DoctorStatus.Fail);
        var warns = report.Checks.Count(c => c.Status == DoctorStatus.Warn);
        AnsiConsole.MarkupLine(fails > 0
            ? $"[red]{fails} failed[/], {warns} warned: the agent cannot join from this host until the failures are fixed"
            : $"[green]no check failed[/]{(warns > 0 ? $", {warns} warned" : "")}: this host can join");
    }

    private static string Status(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "[green]ok[/]",
        DoctorStatus.Warn => "[yellow]warn[/]",
        _ => "[red]fail[/]",
    };
}
