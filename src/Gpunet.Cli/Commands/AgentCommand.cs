using System.ComponentModel;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Agent.Link;
using Gpunet.Agent.Workloads;
using Gpunet.Core.Discovery;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet agent --coordinator URL [--simulate MODEL:COUNT] [--country CC] [--key FILE] [--unsafe-process-runtime]
/// [--lease-retention HOURS] [--probe-port P] [--probe-host H] [--simulate-actual MODEL] [--otlp URL]</c>.</summary>
internal sealed class AgentCommand : AsyncCommand<AgentCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--coordinator <URL>")]
        [Description("Coordinator URL, or several of one network separated by commas (tried in turn when a stream fails); default $GPUNET_COORDINATOR, then the current profile")]
        public string? Coordinator { get; init; }

        [CommandOption("--simulate <MODEL:COUNT>")]
        [Description("Simulate GPUs instead of running nvidia-smi, e.g. H100-SXM5-80GB:8; repeatable")]
        public string[] Simulate { get; init; } = [];

        [CommandOption("--simulate-actual <MODEL>")]
        [Description("With --simulate: answer capacity checks as fast as MODEL would, whatever the simulated GPUs claim (a cheat for demonstrations)")]
        public string? SimulateActual { get; init; }

        /// <summary><see cref="SimulateActual"/> as its canonical model name, read by <see cref="Validate"/>.</summary>
        internal string? SimulateActualModel { get; private set; }

        [CommandOption("--honeypot")]
        [Description("Run as a honeypot for the network's operator to plant (gpunet honeypots plant HOST): the checks the coordinator makes traps of are answered as by a host that is down or computes wrong, so that a checker passing one without looking is caught; other checks as any host; no workload runs")]
        public bool Honeypot { get; init; }

        [CommandOption("--probe-port <PORT>")]
        [Description("Port of this host's probe endpoint, where assigned checkers verify it. Default 0: an ephemeral port")]
        public int ProbePort { get; init; }

        [CommandOption("--probe-host <HOST>")]
        [Description("Address advertised for the probe endpoint. Default the --public-ip, else 127.0.0.1")]
        public string? ProbeHost { get; init; }

        [CommandOption("--country <CC>")]
        [Description("Declared country, ISO 3166-1 alpha-2 (required)")]
        public string? Country { get; init; }

        [CommandOption("--region <REGION>")]
        public string Region { get; init; } = "";

        [CommandOption("--lat <DEGREES>")]
        public double Latitude { get; init; }

        [CommandOption("--lon <DEGREES>")]
        public double Longitude { get; init; }

        [CommandOption("--public-ip <IP>")]
        public string PublicIp { get; init; } = "";

        [CommandOption("--price <USD>")]
        [Description("Ask price per GPU-hour in USD. Default 1.00")]
        public double Price { get; init; } = 1.0;

        [CommandOption("--key <FILE>")]
        [Description("Operator wallet key; default $GPUNET_HOME/agent.key, created if missing")]
        public string? Key { get; init; }

        [CommandOption("--hostname <NAME>")]
        public string? Hostname { get; init; }

        [CommandOption("--nvidia-smi <PATH>")]
        [Description("Path of nvidia-smi. Default nvidia-smi on PATH")]
        public string NvidiaSmi { get; init; } = "nvidia-smi";

        [CommandOption("--docker-registry <HOST>")]
        [Description("A registry Docker images may come from (HOST or HOST:PORT); repeatable; replaces the default docker.io")]
        public string[] DockerRegistries { get; init; } = [];

        [CommandOption("--docker-require-digest")]
        [Description("Run only Docker images pinned by digest (NAME@sha256:...)")]
        public bool DockerRequireDigest { get; init; }

        [CommandOption("--lease-ports <FIRST-LAST>")]
        [Description("Host ports given to leases, one each: a session's or service's own port (GPUNET_PORT), a container's published port. Default 30000-30999")]
        public string? LeasePorts { get; init; }

        [CommandOption("--docker-ports <FIRST-LAST>", IsHidden = true)]
        [Description("The former name of --lease-ports")]
        public string? DockerPorts { get; init; }

        /// <summary><see cref="LeasePorts"/> (or <see cref="DockerPorts"/>) as read by <see cref="Validate"/>; the default
        /// range where none is given.</summary>
        internal LeasePortRange PortRange { get; private set; } = LeasePortRange.Default;

        [CommandOption("--unsafe-process-runtime")]
        [Description("Where bubblewrap cannot sandbox process workloads, run them as this agent's user, able to read its key (development only)")]
        public bool UnsafeProcessRuntime { get; init; }

        [CommandOption("--lease-retention <HOURS>")]
        [Description("How long a lease's folder (its files and output.log) is kept after it is over. Default 24")]
        public double LeaseRetentionHours { get; init; } = 24;

        [CommandOption("--otlp <URL>")]
        [Description("Export traces of lease starts by OTLP (gRPC) to this collector, e.g. http://127.0.0.1:4317. Default $OTEL_EXPORTER_OTLP_ENDPOINT; none: nothing is exported")]
        public string? Otlp { get; init; }

        public override ValidationResult Validate()
        {
            if (LeaseRetentionHours < 0 || TimeSpan.FromHours(LeaseRetentionHours) > LeaseFolders.MaxRetention)
                return ValidationResult.Error($"--lease-retention: between 0 and {LeaseFolders.MaxRetention.TotalHours:0} hours");
            foreach (var registry in DockerRegistries)
            {
                if (!DockerImageReference.IsRegistryName(registry))
                    return ValidationResult.Error($"--docker-registry {registry}: a registry is HOST or HOST:PORT (no scheme, no path)");
            }

            if (LeasePorts is not null && DockerPorts is not null)
                return ValidationResult.Error("--lease-ports: give it once (--docker-ports is its former name)");
            if ((LeasePorts ?? DockerPorts) is { } portsText)
            {
                if (!LeasePortRange.TryParse(portsText, out var ports, out var portsError))
                    return ValidationResult.Error($"{(LeasePorts is null ? "--docker-ports" : "--lease-ports")}: {portsError}");
                PortRange = ports.Value;
            }
            if (Otlp is not null && !(Uri.TryCreate(Otlp, UriKind.Absolute, out var otlp) && otlp.Scheme is "http" or "https"))
                return ValidationResult.Error($"--otlp {Otlp}: an http:// or https:// URL of an OTLP collector");
            if (Country is null)
                return ValidationResult.Error("--country: required (ISO 3166-1 alpha-2, e.g. DE)");
            if (!CountryCode.TryParse(Country, out _, out var error))
                return ValidationResult.Error($"--country: {error}");
            if (Price is <= 0 or > 1000)
                return ValidationResult.Error("--price: above 0 and at most 1000 USD per GPU-hour");
            if (Latitude is < -90 or > 90 || Longitude is < -180 or > 180)
                return ValidationResult.Error("--lat/--lon: latitude within ±90, longitude within ±180");
            if (ProbePort is < 0 or > 65535)
                return ValidationResult.Error("--probe-port: from 0 (an ephemeral port) to 65535");
            if (ProbeHost is not null && Uri.CheckHostName(ProbeHost) == UriHostNameType.Unknown)
                return ValidationResult.Error($"--probe-host {ProbeHost}: an IP address or a host name");
            if (Honeypot && SimulateActual is not null)
                return ValidationResult.Error("--honeypot and --simulate-actual: a honeypot answers every capacity check wrong already; choose one");
            if (SimulateActual is not null)
            {
                if (Simulate.Length == 0)
                    return ValidationResult.Error("--simulate-actual: only with --simulate (it says how fast simulated GPUs answer)");
                if (!GpuCatalog.IsKnown(SimulateActual) || !GpuThroughput.TryGet(GpuCatalog.DefaultOf(SimulateActual).Name, out _))
                    return ValidationResult.Error($"--simulate-actual {SimulateActual}: not a GPU model of the catalog; known: {string.Join(", ", GpuThroughput.All.Select(e => e.Model))}");
                SimulateActualModel = GpuCatalog.DefaultOf(SimulateActual).Name;
            }

            foreach (var spec in Simulate)
            {
                try
                {
                    SimulatedGpuSpec.Parse(spec);
                }
                catch (FormatException e)
                {
                    return ValidationResult.Error($"--simulate {spec}: {e.Message}");
                }
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var home = GpunetHome.Current();
        var coordinators = CoordinatorUrl.ResolveList(s.Coordinator, home);
        var uri = coordinators[0];
        var wallet = Keys.LoadOrCreate(s.Key ?? Path.Combine(home.Path, "agent.key"));
        IGpuSource gpus = s.Simulate.Length > 0
            ? SimulatedGpuSource.FromSpecs(s.Simulate, wallet.Address.Value)
            : new NvidiaSmiGpuSource(s.NvidiaSmi);

        using var interrupt = new Interrupt(cancellationToken);
        using var tracing = AgentTelemetry.StartExport(s.Otlp is null ? null : new Uri(s.Otlp));
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        using var agent = new HostAgent(new AgentOptions
        {
            Coordinator = uri,
            FailoverCoordinators = [.. coordinators.Skip(1)],
            Simulate = s.Simulate,
            SimulateActual = s.SimulateActualModel,
            Honeypot = s.Honeypot,
            ProbePort = s.ProbePort,
            ProbeHost = s.ProbeHost,
            Country = s.Country!,
            Region = s.Region,
            Latitude = s.Latitude,
            Longitude = s.Longitude,
            PublicIp = s.PublicIp,
            PriceUsdPerGpuHour = s.Price,
            Hostname = s.Hostname,
            NvidiaSmi = s.NvidiaSmi,
            WorkDirectory = Path.Combine(home.Path, "work"),
            Docker = new DockerRuntimeOptions
            {
                Registries = s.DockerRegistries.Length > 0 ? s.DockerRegistries : [DockerImageReference.DockerHub],
                RequireDigest = s.DockerRequireDigest,
            },
            LeasePorts = s.PortRange,
            UnsafeProcessRuntime = s.UnsafeProcessRuntime,
            LeaseRetention = TimeSpan.FromHours(s.LeaseRetentionHours),
        }, wallet, gpus, TimeProvider.System, loggers.CreateLogger("agent"));
        AnsiConsole.MarkupLineInterpolated($"[bold]Agent[/] {wallet.Address.Value} → {string.Join(", ", coordinators)} ({(s.Simulate.Length > 0 ? "simulated " + string.Join(", ", s.Simulate) : "nvidia-smi")})");
        try
        {
            await agent.RunAsync(interrupt.Token);
        }
        catch (AgentStoppedException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (NvidiaSmiFormatException e)
        {
            throw new CliException($"nvidia-smi output not understood: {e.Message}", e);
        }

        return 0;
    }
}
