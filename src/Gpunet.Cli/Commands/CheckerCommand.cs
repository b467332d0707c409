using System.ComponentModel;
using System.Globalization;
using Gpunet.Checker;
using Gpunet.Core.Geography;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet checker --coordinator URL [--key FILE] [--lat D --lon D] [--country CC] [--lazy] [--json]</c>: a
/// checker node, until Ctrl+C or SIGTERM.</summary>
internal sealed class CheckerCommand : AsyncCommand<CheckerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--coordinator <URL>")]
        [Description("Coordinator URL; default $GPUNET_COORDINATOR, then the current profile")]
        public string? Coordinator { get; init; }

        [CommandOption("--key <FILE>")]
        [Description("The checker's wallet key; default $GPUNET_HOME/checker.key, created if missing")]
        public string? Key { get; init; }

        [CommandOption("--lat <DEGREES>")]
        [Description("Where the checker is (with --lon): hosts' places are bounded by round trips from here")]
        public double? Latitude { get; init; }

        [CommandOption("--lon <DEGREES>")]
        public double? Longitude { get; init; }

        [CommandOption("--country <CC>")]
        [Description("The checker's country, ISO 3166-1 alpha-2")]
        public string? Country { get; init; }

        [CommandOption("--lazy")]
        [Description("A cheat for demos: report pass for every check without probing (honeypots catch it)")]
        public bool Lazy { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object a line (admitted, each report, each acknowledgement); logs go to stderr")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (Latitude.HasValue != Longitude.HasValue)
                return ValidationResult.Error("--lat/--lon: give both or neither");
            if (Latitude is < -90 or > 90 || Latitude is double.NaN)
                return ValidationResult.Error("--lat: latitude within -90 … 90");
            if (Longitude is < -180 or > 180 || Longitude is double.NaN)
                return ValidationResult.Error("--lon: longitude within -180 … 180");
            if (Country is not null && !CountryCode.TryParse(Country, out _, out var error))
                return ValidationResult.Error($"--country: {error}");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var home = GpunetHome.Current();
        var uri = CoordinatorUrl.Resolve(s.Coordinator, home);
        var keyFile = Path.GetFullPath(s.Key ?? Path.Combine(home.Path, "checker.key"));
        var created = !File.Exists(keyFile);
        var wallet = Keys.LoadOrCreate(keyFile);
        var country = s.Country is null ? "" : CountryCode.Parse(s.Country).Value;

        using var interrupt = new Interrupt(cancellationToken);
        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            // With --json, stdout carries only JSON lines.
            .AddConsole(o => o.LogToStandardErrorThreshold = s.Json ? LogLevel.Trace : LogLevel.None)
            .SetMinimumLevel(LogLevel.Information));
        var observer = new CheckerConsole(s.Json);
        using var node = new CheckerNode(new CheckerOptions
        {
            Coordinator = uri,
            Latitude = s.Latitude ?? 0,
            Longitude = s.Longitude ?? 0,
            Country = country,
            Lazy = s.Lazy,
        }, wallet, TimeProvider.System, loggers.CreateLogger("checker"), observer);
        observer.Started(wallet.Address.Value, keyFile, created, uri, s.Latitude, s.Longitude, country, s.Lazy);
        try
        {
            await node.RunAsync(interrupt.Token);
        }
        catch (CheckerStoppedException e)
        {
            throw new CliException(e.Message, e);
        }

        return 0;
    }

    /// <summary>Where a place is, for people.</summary>
    internal static string Place(double? lat, double? lon, string country) =>
        (lat is { } a && lon is { } o ? string.Create(CultureInfo.InvariantCulture, $"{a:0.####}, {o:0.####}") : "no declared place")
        + (country.Length > 0 ? " " + country : "");
}
