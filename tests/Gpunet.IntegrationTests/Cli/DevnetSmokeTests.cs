using System.Globalization;
using System.Text;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

[LongRunning]
public sealed class DevnetSmokeTests
{
    [Fact]
    public async Task Devnet_StartsANetworkThatOtherCommandsFindThroughTheProfile()
    {
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        // The devnet as a user starts it, its three checkers included: on CI's loaded machine they have checked every host's
        // capacity while 9 processes start on 2 cores, and an honest host answering late is held, so the search below fails.
        var (devnet, stdout, stderr) = GpunetProcess.Start(home, "devnet", "--hosts", "4", "--port", "0", "--heartbeat", "0.5");
        try
        {
            // The process's output is appended under a lock on its builder (GpunetProcess): read it under the same lock.
            await Eventually.Async(() => Task.FromResult<string?>(Read(stdout)), o => o.Contains("devnet is up", StringComparison.Ordinal),
                "the devnet banner", 90);
            var profile = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(home, "profiles", "devnet.json"))).RootElement;
            Assert.StartsWith("http://127.0.0.1:", profile.GetProperty("coordinator").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("gpa_", profile.GetProperty("adminToken").GetString(), StringComparison.Ordinal);
            Assert.True(File.Exists(profile.GetProperty("customerKeyFile").GetString()));

            // Another terminal: no flags, the profile is enough.
            var hosts = await GpunetProcess.RunAsync(home, null, "hosts", "--json");
            Assert.True(hosts.ExitCode == 0, hosts.Stderr);
            var list = JsonDocument.Parse(hosts.Stdout).RootElement.EnumerateArray().ToList();
            // Four hosts Ready, and a fifth in Iran held by the geofence, its reason naming the rule.
            Assert.Equal(5, list.Count);
            var blocked = Assert.Single(list, h => h.GetProperty("country").GetString() == "IR");
            Assert.Equal("Pending", blocked.GetProperty("state").GetString());
            Assert.Contains("blocked-jurisdiction", blocked.GetProperty("stateReason").GetString(), StringComparison.Ordinal);
            list.Remove(blocked);
            Assert.All(list, h => Assert.Equal("Ready", h.GetProperty("state").GetString()));

            // The devnet's participants were approved through the review queue, and the audit log holds.
            var kyc = await GpunetProcess.RunAsync(home, null, "kyc", "list", "--state", "approved", "--json");
            Assert.True(kyc.ExitCode == 0, kyc.Stderr);
            Assert.Equal(6, JsonDocument.Parse(kyc.Stdout).RootElement.GetArrayLength());
            var audit = await GpunetProcess.RunAsync(home, null, "audit", "verify", "--json");
            Assert.True(audit.ExitCode == 0, audit.Stdout + audit.Stderr);
            Assert.True(JsonDocument.Parse(audit.Stdout).RootElement.GetProperty("valid").GetBoolean());
            Assert.Contains(list, h => h.GetProperty("gpus").EnumerateArray().Count(g => g.GetProperty("model").GetString()!.StartsWith("H100", StringComparison.Ordinal)) == 8);
            Assert.True(list.Select(h => h.GetProperty("country").GetString()).Distinct().Count() >= 3);

            // No honest host failed its registration capacity check (the devnet's planted honeypot fails every one).
            var checks = await GpunetProcess.RunAsync(home, null, "checks", "--kind", "capacity", "--json");
            Assert.True(checks.ExitCode == 0, checks.Stderr);
            var failed = JsonDocument.Parse(checks.Stdout).RootElement.EnumerateArray()
                .Where(c => !c.GetProperty("honeypot").GetBoolean() && c.GetProperty("outcome").GetString() == "failed").ToList();
            Assert.True(failed.Count == 0, $"honest hosts failed capacity checks: {string.Join('\n', failed)}");

            var gpus = await GpunetProcess.RunAsync(home, null, "gpus", "model=H100 count>=8", "--json");
            Assert.True(gpus.ExitCode == 0, gpus.Stderr);
            if (JsonDocument.Parse(gpus.Stdout).RootElement.GetArrayLength() == 0)
            {
                var now = await GpunetProcess.RunAsync(home, null, "hosts", "--json");
                Assert.Fail($"no 8×H100 offer; hosts now: {now.Stdout}\nchecks: {checks.Stdout}");
            }

            // The customer key signs in too (no admin token).
            var asCustomer = await GpunetProcess.RunAsync(home, null, "gpus", "--key", profile.GetProperty("customerKeyFile").GetString()!, "--json");
            Assert.True(asCustomer.ExitCode == 0, asCustomer.Stderr);

            // Renting works out of the box: the profile's customer rents, the devnet's agent runs it, its output comes back.
            var rent = await GpunetProcess.RunAsync(home, null, "rent", "--gpu", "H100", "--max-price", "5", "--wait", "--json", "--", "sh", "-c", "echo hello devnet");
            Assert.True(rent.ExitCode == 0, rent.Stderr);
            var lease = JsonDocument.Parse(rent.Stdout).RootElement.GetProperty("leaseId").GetString()!;
            var logs = await GpunetProcess.RunAsync(home, null, "logs", lease, "--follow");
            Assert.True(logs.ExitCode == 0, logs.Stderr);
            Assert.Equal("hello devnet", logs.Stdout.Trim());
        }
        finally
        {
            // Ctrl+C: everything stops cleanly.
            if (!devnet.HasExited) // ended early: the try's failure says why, and its id is no longer its own
                Signals.Send(devnet, Signals.Interrupt);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await devnet.WaitForExitAsync(cts.Token);
        }

        Assert.Equal(0, devnet.ExitCode);
        Assert.Contains("stopped", Read(stdout), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Read(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevnetOfTwoCoordinators_EitherServesEveryHost_AndARentThroughTheSecondRunsOnTheFirstsAgent()
    {
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var (devnet, stdout, stderr) = GpunetProcess.Start(home, "devnet", "--coordinators", "2", "--hosts", "2", "--checkers", "0", "--port", "0",
            "--heartbeat", "0.5");
        try
        {
            await Eventually.Async(() => Task.FromResult<string?>(Read(stdout)), o => o.Contains("Ctrl+C stops everything", StringComparison.Ordinal),
                "the whole devnet banner", 90);
            // Both coordinators are named with their URLs; the second's API is where the test rents.
            var banner = Read(stdout).Replace("\n", " ", StringComparison.Ordinal);
            var urls = System.Text.RegularExpressions.Regex.Matches(banner, @"coordinator (\d)\s+API\s+(http://127\.0\.0\.1:\d+)/api/v1")
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            Assert.Equal(["0", "1"], urls.Keys.Order());
            var second = urls["1"];

            // The second coordinator lists every host, the first's agent's included (the 8×H100 in DE is agent 0's,
            // connected to coordinator 0), and all are Ready. (At half-second heartbeats a loaded machine can leave a host
            // Suspect for a moment, as CI once did; it is Ready again at its next heartbeat.)
            var list = await Eventually.Async(async () =>
            {
                var hosts = await GpunetProcess.RunAsync(home, null, "hosts", "--coordinator", second, "--json");
                Assert.True(hosts.ExitCode == 0, hosts.Stderr);
                return JsonDocument.Parse(hosts.Stdout).RootElement.EnumerateArray().Where(h => h.GetProperty("country").GetString() != "IR").ToList();
            }, l => l.Count == 2 && l.All(h => h.GetProperty("state").GetString() == "Ready"), "both hosts Ready at the second coordinator", 60);
            Assert.Equal(2, list.Count);

            // Renting the H100 through the second coordinator: the placement is relayed to the first, which holds the
            // agent's stream; the workload runs and its output comes back through the second.
            var rent = await GpunetProcess.RunAsync(home, null, "rent", "--coordinator", second, "--gpu", "H100", "--max-price", "5", "--wait", "--json",
                "--", "sh", "-c", "echo hello from two coordinators");
            if (rent.ExitCode != 0)
            {
                // CI has seen this rent wait out its minute once: say what each coordinator thought of the lease and hosts.
                var seen = new StringBuilder();
                foreach (var (n, url) in urls.OrderBy(u => u.Key, StringComparer.Ordinal))
                {
                    foreach (var what in new[] { "leases", "hosts" })
                    {
                        var r = await GpunetProcess.RunAsync(home, null, what, "--coordinator", url, "--json");
                        seen.Append(CultureInfo.InvariantCulture, $"\ncoordinator {n} {what}: {r.Stdout}{r.Stderr}");
                    }
                }

                Assert.Fail($"rent failed: {rent.Stdout}{rent.Stderr}{seen}\ndevnet's stderr: {Read(stderr)}");
            }

            var lease = JsonDocument.Parse(rent.Stdout).RootElement.GetProperty("leaseId").GetString()!;
            var logs = await GpunetProcess.RunAsync(home, null, "logs", lease, "--coordinator", second, "--follow");
            Assert.True(logs.ExitCode == 0, logs.Stderr);
            Assert.Equal("hello from two coordinators", logs.Stdout.Trim());
        }
        finally
        {
            if (!devnet.HasExited) // ended early: the try's failure says why, and its id is no longer its own
                Signals.Send(devnet, Signals.Interrupt);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await devnet.WaitForExitAsync(cts.Token);
        }

        Assert.Equal(0, devnet.ExitCode);
        Assert.DoesNotContain("Exception", Read(stderr), StringComparison.Ordinal);
    }

    private static string Read(System.Text.StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
