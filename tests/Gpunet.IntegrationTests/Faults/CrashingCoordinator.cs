using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>The test-only crashing coordinator (tests/Gpunet.SettlementCrashHost) as a child process on fixed loopback
/// ports, so that a coordinator restarted on the same store and ports after it dies is found by the same agents.</summary>
internal sealed class CrashingCoordinator : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CrashingCoordinator(Process process, string urls, string agentUrls, string adminToken)
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

    /// <summary>Starts it on <paramref name="dataDir"/> (and <paramref name="db"/> when given) with agents' heartbeats
    /// every second and no participant gates (<c>--gates off</c>), to die at <paramref name="crashAt"/>; returns once its
    /// API answers.</summary>
    public static async Task<CrashingCoordinator> StartAsync(string crashAt, string dataDir, string? db, string adminToken)
    {
        var (urls, agentUrls) = ($"http://127.0.0.1:{FreePort()}", $"http://127.0.0.1:{FreePort()}");
        var psi = GpunetProcess.StartInfo(TestCoordinator.NewDataDir(), null,
            "--crash-at", crashAt, "--data", dataDir, "--urls", urls, "--agent-urls", agentUrls, "--epoch", "86400",
            "--admin-token", adminToken, "--network", "test", "--heartbeat", "1", "--gates", "off");
        psi.ArgumentList[0] = Path.Combine(AppContext.BaseDirectory, "Gpunet.SettlementCrashHost.dll");
        if (db is not null)
        {
            psi.ArgumentList.Add("--db");
            psi.ArgumentList.Add(db);
        }

        var c = new CrashingCoordinator(Process.Start(psi)!, urls, agentUrls, adminToken);
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
                return c._process.HasExited ? throw new Xunit.Sdk.XunitException($"the crashing coordinator exited: {await c.OutputAsync()}") : (bool?)false;
            }
        }, up => up == true, "the crashing coordinator to answer", 60);
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

    /// <summary>The coordinator's host as an admin sees it.</summary>
    public Task<HostView?> HostAsync(string id) => Admin.GetFromJsonAsync<HostView>($"/api/v1/hosts/{id}", TestCoordinator.Json);

    private async Task<string> OutputAsync() => await _stdout + await _stderr;

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

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
