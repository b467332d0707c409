using Gpunet.Agent.Discovery;
using Gpunet.Protocol;
using Microsoft.Extensions.Logging;

namespace Gpunet.Agent.Probe;

/// <summary>The agent's side of verification: the checks the coordinator announced, who this host is, the probe
/// endpoint that answers those checks' checkers, and the compute behind capacity checks.</summary>
/// <remarks>Made once per agent run, before the first registration (the endpoint goes into it), and disposed with the
/// run: the endpoint stops with the agent.</remarks>
public sealed partial class AgentProbe : IAsyncDisposable
{
    private readonly AnnouncedChecks _checks;
    private readonly ProbeIdentity _identity = new();
    private readonly ICapacityCompute _compute;
    private HoneypotCapacityCompute? _traps;
    private readonly ILogger _log;
    private ProbeServer? _server;

    private AgentProbe(AnnouncedChecks checks, ICapacityCompute compute, TimeProvider time, ILogger log)
    {
        _checks = checks;
        _compute = compute;
        _log = log;
        Refusals = new ProbeRefusalOutbox(Counters, time);
    }

    /// <summary>What the endpoint answered and refused.</summary>
    public ProbeCounters Counters { get; } = new();

    /// <summary>Refusals waiting to be told to the coordinator.</summary>
    internal ProbeRefusalOutbox Refusals { get; }

    /// <summary>The advertised endpoint, <c>http://HOST:PORT</c>.</summary>
    public string Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("The probe endpoint is not started.");

    /// <summary>Open checks announced to this host.</summary>
    internal AnnouncedChecks Checks => _checks;

    /// <summary>Starts the probe endpoint for a host with <paramref name="inventory"/>'s GPUs.</summary>
    /// <remarks>Simulated GPUs compute on the CPU and answer in the performing model's time; real ones compute with
    /// ILGPU. A honeypot (<see cref="AgentOptions.Honeypot"/>) answers its traps with wrong products, in its declared models'
    /// time, and every other check as any host.</remarks>
    public static async Task<AgentProbe> StartAsync(AgentOptions options, GpuInventory inventory, TimeProvider time, ILogger log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inventory);
        var indices = inventory.Gpus.Select(g => g.Index).ToArray();
        var declared = inventory.Gpus.Select(g => (g.Index, g.Model?.Name ?? g.Name)).ToList();
        ICapacityCompute compute = inventory.Simulated
            ? new SimulatedCapacityCompute(declared, options.SimulateActual, time)
            : new IlgpuCapacityCompute(indices);
        var probe = new AgentProbe(new AnnouncedChecks(time), compute, time, log)
        {
            _traps = options.Honeypot ? new HoneypotCapacityCompute(declared, time) : null,
        };
        var service = new HostProbeService(probe._checks, probe._identity, compute, indices, probe.Counters, probe.Refusals, time, log)
        {
            Traps = probe._traps,
        };
        var host = options.ProbeHost ?? (string.IsNullOrEmpty(options.PublicIp) ? "127.0.0.1" : options.PublicIp);
        probe._server = await ProbeServer.StartAsync(service, host, options.ProbePort, null, ct);
        LogListening(log, probe.Endpoint);
        return probe;
    }

    /// <summary>Records who the coordinator said this host is: probes must be signed for this host id and network.</summary>
    internal void Registered(string hostId, string network) => _identity.Registered(hostId, network);

    /// <summary>Remembers a check the coordinator announced.</summary>
    internal void Expect(ExpectCheck expect)
    {
        if (_checks.Announce(expect) is { } refused)
            LogAnnouncementIgnored(_log, refused);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _compute.Dispose();
        _traps?.Dispose();
    }

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Probe endpoint listening at {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Announced check ignored: {Reason}")]
    private static partial void LogAnnouncementIgnored(ILogger logger, string reason);
}
