using Gpunet.Agent.Workloads;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The process runtime with real processes: GPU visibility, output capture, exit codes, tree kill.</summary>
public sealed class ProcessWorkloadTests
{
    private static async Task<List<WorkloadLogLine>> AllLinesAsync(ProcessWorkload w)
    {
        var lines = new List<WorkloadLogLine>();
        await foreach (var l in w.Lines.ReadAllAsync())
            lines.Add(l);
        return lines;
    }

    [Fact]
    public async Task Workload_SeesOnlyItsGpus_OutputAndExitCodeAreKept()
    {
        var root = ProcessProbe.Root();
        await using var w = ProcessWorkload.Start(new WorkloadSpec("lease-1",
            ["sh", "-c", "echo cuda=$CUDA_VISIBLE_DEVICES nvidia=$NVIDIA_VISIBLE_DEVICES lease=$GPUNET_LEASE_ID; pwd; echo oops >&2; exit 3"],
            [0, 3]), root, TimeProvider.System);

        var lines = await AllLinesAsync(w);
        Assert.Equal(3, await w.Exited);
        Assert.Null(w.KilledBecause);
        Assert.Contains(lines, l => l.Stream == "stdout" && l.Text == "cuda=0,3 nvidia=0,3 lease=lease-1");
        Assert.Contains(lines, l => l.Stream == "stdout" && l.Text == Path.Combine(root, "leases", "lease-1"));
        Assert.Contains(lines, l => l.Stream == "stderr" && l.Text == "oops");
        Assert.Equal(lines.Select(l => l.Sequence).Order(), lines.Select(l => l.Sequence));

        var log = await File.ReadAllTextAsync(Path.Combine(w.WorkingDirectory, "output.log"));
        Assert.Contains("stdout cuda=0,3", log, StringComparison.Ordinal);
        Assert.Contains("stderr oops", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workload_WithoutGpus_SeesNone()
    {
        await using var w = ProcessWorkload.Start(new WorkloadSpec("lease-cpu", ["sh", "-c", "echo [$CUDA_VISIBLE_DEVICES] $NVIDIA_VISIBLE_DEVICES"], []),
            ProcessProbe.Root(), TimeProvider.System);
        var lines = await AllLinesAsync(w);
        Assert.Equal("[] none", Assert.Single(lines).Text);
    }

    [Fact]
    public async Task Kill_EndsTheWholeProcessTree()
    {
        var root = ProcessProbe.Root();
        // The workload starts a grandchild that would outlive a plain kill of the shell.
        var w = ProcessWorkload.Start(new WorkloadSpec("lease-tree", ["sh", "-c", "sleep 300 & echo child=$!; wait"], [1]), root, TimeProvider.System);
        var first = await w.Lines.ReadAsync();
        var child = int.Parse(first.Text["child=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ProcessProbe.Alive(child));

        await w.KillAsync(WorkloadKill.Stop("lease cancelled"));
        Assert.Equal(WorkloadKill.Stop("lease cancelled"), w.KilledBecause);
        await Eventually.Async(() => Task.FromResult<string?>(ProcessProbe.Alive(child) ? "alive" : "dead"), s => s == "dead", "the grandchild to be killed");
        await w.DisposeAsync();
    }

    [Theory]
    [InlineData(new string[0], "lease-x", "command")]
    [InlineData(new[] { "" }, "lease-x", "command")]
    [InlineData(new[] { "true" }, "../escape", "cannot name a directory")]
    public void Start_BadSpec_IsRefusedAndRunsNothing(string[] command, string lease, string message)
    {
        var root = ProcessProbe.Root();
        var e = Assert.Throws<ArgumentException>(() => ProcessWorkload.Start(new WorkloadSpec(lease, command, [0]), root, TimeProvider.System));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "leases")));
    }

    [Fact]
    public void Start_MissingProgram_SaysSo()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ProcessWorkload.Start(new WorkloadSpec("lease-y", ["/nonexistent/program"], [0]), ProcessProbe.Root(), TimeProvider.System));
        Assert.Contains("/nonexistent/program", e.Message, StringComparison.Ordinal);
    }
}
