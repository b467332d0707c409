using Gpunet.Agent.Workloads;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The process runtime's limits, enforced on real processes.</summary>
public sealed class ProcessRuntimeTests
{
    private static async Task<List<string>> TextAsync(IRunningWorkload workload)
    {
        var lines = new List<string>();
        await foreach (var line in workload.Lines.ReadAllAsync())
            lines.Add(line.Text);
        return lines;
    }

    [Fact]
    public async Task Start_CpuMilli1000_WorkloadAndItsChildrenSeeOneCore()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System);
        await using var workload = await runtime.StartAsync(
            new WorkloadSpec("lease-cpu", ["sh", "-c", "nproc; grep Cpus_allowed_list /proc/self/status"], []) { CpuMilli = 1000 },
            CancellationToken.None);

        var lines = await TextAsync(workload);
        Assert.Equal(0, await workload.Exited);
        Assert.Equal("1", lines[0]);
        Assert.Matches(@"^Cpus_allowed_list:\s+\d+$", lines[1]);
    }

    [Fact]
    public async Task Start_WithoutCpuLimit_SeesEveryCoreTheAgentHas()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System);
        await using var workload = await runtime.StartAsync(new WorkloadSpec("lease-allcpu", ["nproc"], []), CancellationToken.None);
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(await TextAsync(workload)));
    }

    [Fact]
    public async Task Start_OverMemoryLimit_TreeIsKilledWithTheUsage()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System) { MemoryCheckInterval = TimeSpan.FromMilliseconds(100) };
        // The memory is held by a grandchild: tail keeps its input's last line, 200 MB of zeros with no newline, whole
        // (in well under a second, where a shell variable of 100 MB took tens of seconds on a loaded machine). The
        // watchdog sums the whole tree.
        await using var workload = await runtime.StartAsync(new WorkloadSpec("lease-mem",
            ["sh", "-c", "(head -c 200000000 /dev/zero | tail; sleep 30); echo unreachable"],
            []) { MemoryMib = 64 }, CancellationToken.None);

        var lines = await TextAsync(workload);
        await workload.Exited;
        Assert.Equal(LeaseReport.Types.KillCause.MemoryLimit, workload.KilledBecause?.Cause);
        Assert.StartsWith("memory limit: used ", workload.KilledBecause?.Reason, StringComparison.Ordinal);
        Assert.EndsWith(" MiB of 64 MiB", workload.KilledBecause?.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", lines);
    }

    [Fact]
    public async Task Start_UnderMemoryLimit_RunsToItsEnd()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System) { MemoryCheckInterval = TimeSpan.FromMilliseconds(50) };
        await using var workload = await runtime.StartAsync(new WorkloadSpec("lease-smallmem", ["sh", "-c", "sleep 0.5; echo done"], []) { MemoryMib = 256 },
            CancellationToken.None);

        Assert.Equal(["done"], await TextAsync(workload));
        Assert.Equal(0, await workload.Exited);
        Assert.Null(workload.KilledBecause);
    }

    [Fact]
    public async Task Start_MaxRuntime_KillsAtTheLimitWithTheReason()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System);
        await using var workload = await runtime.StartAsync(new WorkloadSpec("lease-max", ["sleep", "30"], []) { MaxRuntime = TimeSpan.FromSeconds(1) },
            CancellationToken.None);

        await workload.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new WorkloadKill(LeaseReport.Types.KillCause.TimeLimit, "time limit of 1 s reached"), workload.KilledBecause);
    }

    [Fact]
    public async Task Start_MissingProgram_SaysWhich()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runtime.StartAsync(new WorkloadSpec("lease-missing", ["gpunet-no-such-program", "x"], []) { CpuMilli = 500 }, CancellationToken.None));
        Assert.Equal("could not start 'gpunet-no-such-program': no such program", e.Message);
    }

    [Fact]
    public void CoreSet_TakesTheLeastUsedCoresLowestFirst_AndReleasesThem()
    {
        var cores = new CoreSet([4, 5, 6, 7]);
        var first = cores.Take(1000);
        var second = cores.Take(1500);
        var third = cores.Take(2000);
        Assert.Equal([4], first);
        Assert.Equal([5, 6], second);
        Assert.Equal([4, 7], third);

        cores.Release(second);
        Assert.Equal([5], cores.Take(1));
        Assert.Equal([4, 5, 6, 7], cores.Take(9000));
        Assert.Equal([0, 1, 2, 3, 8, 10, 11], CoreSet.ParseList("0-3,8,10-11\n"));
    }
}
