using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>A coordinator as a child process on fixed loopback ports, so that one restarted on the same store and ports
/// after it dies is found by the same agents: the real <c>gpunet coordinator</c>, or the test-only crashing one
/// (tests/Gpunet.SettlementCrashHost).</summary>
internal sealed class CoordinatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CoordinatorProcess(Process process, string urls, string agentUrls, string adminToken)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
        Urls = urls;
        AgentUrls = agentUrls;
        Admin = new HttpClient { BaseAddress = new Uri(urls) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    }

    public string Urls { get; }
    public string AgentUrls { get; }
    public HttpClient Admin { get; }

    /// <summary>A REST port and an agent port, free now, for a coordinator and each of its restarts.</summary>
    public sealed record Ports(string Urls, string AgentUrls)
    {
        public static Ports Free() => new($"http://127.0.0.1:{LoopbackPorts.Free()}", $"http://127.0.0.1:{LoopbackPorts.Free()}");
    }

    /// <summary>The real <c>gpunet coordinator</c> on <paramref name="ports"/> over <paramref name="db"/> (its own data
    /// folder), network <c>test</c>, with <paramref name="settings"/> as <c>Coordinator:…</c> configuration entries (passed
    /// as environment variables, as an operator would) and <paramref name="args"/> after its own; returns once its API
    /// answers.</summary>
    public static Task<CoordinatorProcess> StartAsync(Ports ports, string db, string adminToken, IReadOnlyDictionary<string, string> settings,
        params string[] args)
    {
        var env = settings.ToDictionary(s => "Coordinator__" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        var psi = GpunetProcess.StartInfo(TestCoordinator.NewDataDir(), env,
            ["coordinator", "--db", db, "--data", TestCoordinator.NewDataDir(), "--urls", ports.Urls, "--agent-urls", ports.AgentUrls,
            "--admin-token", adminToken, "--network", "test", .. args]);
        return StartAsync(psi, ports, adminToken, "gpunet coordinator");
    }

    /// <summary>The crashing coordinator on <paramref name="dataDir"/> (and <paramref name="db"/> when given) with agents'
    /// heartbeats every second and no participant gates (<c>--gates off</c>), to die at <paramref name="crashAt"/>.</summary>
    public static Task<CoordinatorProcess> StartCrashingAsync(string crashAt, string dataDir, string? db, string adminToken)
    {
        var ports = Ports.Free();
        var psi = GpunetProcess.StartInfo(TestCoordinator.NewDataDir(), null,
            "--crash-at", crashAt, "--data", dataDir, "--urls", ports.Urls, "--agent-urls", ports.AgentUrls, "--epoch", "86400",
            "--admin-token", adminToken, "--network", "test", "--heartbeat", "1", "--gates", "off");
        psi.ArgumentList[0] = Path.Combine(AppContext.BaseDirectory, "Gpunet.SettlementCrashHost.dll");
        if (db is not null)
        {
            psi.ArgumentList.Add("--db");
            psi.ArgumentList.Add(db);
        }

        return StartAsync(psi, ports, adminToken, "the crashing coordinator");
    }

    private static async Task<CoordinatorProcess> StartAsync(ProcessStartInfo psi, Ports ports, string adminToken, string what)
    {
        var c = new CoordinatorProcess(Process.Start(psi)!, ports.Urls, ports.AgentUrls, adminToken);
        c._process.StandardInput.Close();
        await Eventually.Async<bool?>(async () =>
        {
            try
            {
                using var r = await c.Admin.GetAsync("/api/v1/hosts");
                return (bool?)r.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return c._process.HasExited ? throw new Xunit.Sdk.XunitException($"{what} exited: {await c.OutputAsync()}") : (bool?)false;
            }
        }, up => up == true, $"{what} to answer", 60);
        return c;
    }

    /// <summary>Waits for the process to die (it must be killed, not stop) and returns what it printed.</summary>
    public async Task<string> DiedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, _process.ExitCode);
        return await OutputAsync();
    }

    /// <summary>SIGKILL: the coordinator dies at once; nothing of it runs its clean-up (no lease released, no last write).</summary>
    public async Task KillAsync()
    {
        Signals.Send(_process, Signals.Kill);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a rolling restart stops a coordinator: it stops cleanly, and must exit with 0.</summary>
    public async Task StopAsync()
    {
        Signals.Send(_process, Signals.Term);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"the coordinator stopped with {_process.ExitCode}: {await OutputAsync()}");
    }

    /// <summary>The coordinator's host as an admin sees it; null while it does not know it.</summary>
    public async Task<HostView?> HostAsync(string id)
    {
        using var r = await Admin.GetAsync($"/api/v1/hosts/{id}");
        return r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<HostView>(TestCoordinator.Json) : null;
    }

    private async Task<string> OutputAsync() => await _stdout + await _stderr;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
