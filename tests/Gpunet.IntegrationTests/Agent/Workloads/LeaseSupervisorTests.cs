using Gpunet.Agent.Workloads;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The supervisor with real processes: what the coordinator hears about a lease, in order, and what the
/// host does when told to start, stop or forget one.</summary>
public sealed class LeaseSupervisorTests
{
    private static LeaseSupervisor Supervisor(params IWorkloadRuntime[] runtimes) =>
        new(ProcessProbe.Root(), TimeProvider.System, NullLogger.Instance, runtimes.Length == 0 ? null : runtimes);

    private static StartLease Lease(string id, params string[] command)
    {
        var start = new StartLease { LeaseId = id, Runtime = "process" };
        start.Command.Add(command);
        return start;
    }

    /// <summary>Reads the outbox up to and including the lease's end report.</summary>
    private static async Task<List<AgentMessage>> UntilEndAsync(LeaseSupervisor supervisor, string leaseId, List<AgentMessage>? seen = null)
    {
        seen ??= [];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await supervisor.Outbox.ReadAsync(deadline.Token);
            seen.Add(message);
            if (message.LeaseReport is { Phase: not Phase.Running } report && report.LeaseId == leaseId)
                return seen;
        }
    }

    /// <summary>Reads the outbox until a line of the lease's log matches.</summary>
    private static async Task<LogLine> UntilLineAsync(LeaseSupervisor supervisor, Func<LogLine, bool> match, List<AgentMessage> seen)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await supervisor.Outbox.ReadAsync(deadline.Token);
            seen.Add(message);
            if (message.LeaseLog?.Lines.FirstOrDefault(match) is { } line)
                return line;
        }
    }

    private static List<LogLine> Lines(IEnumerable<AgentMessage> messages) =>
        [.. messages.Where(m => m.LeaseLog is not null).SelectMany(m => m.LeaseLog.Lines)];

    private static LeaseReport End(List<AgentMessage> messages) => messages[^1].LeaseReport;

    [SandboxFact]
    public async Task Start_WithUsageSigner_ReportsSignedBackToBackPeriodsFromStartToEnd()
    {
        var wallet = Gpunet.Core.Identity.Wallet.Create();
        var signer = new UsageSigner(wallet);
        signer.Registered("host-1", "devnet");
        await using var supervisor = new LeaseSupervisor(ProcessProbe.Root(), TimeProvider.System, NullLogger.Instance,
            usage: signer, usageInterval: TimeSpan.FromMilliseconds(200));
        var start = Lease("lease-u", "sleep", "1");
        start.GpuIndices.Add([0, 3]);
        start.GpuMilli = 1000;
        supervisor.Start(start);

        var messages = await UntilEndAsync(supervisor, "lease-u");

        var running = messages.First(m => m.LeaseReport is { Phase: Phase.Running }).LeaseReport;
        var usage = messages.Where(m => m.UsageReport is not null).Select(m => m.UsageReport).ToList();
        Assert.True(usage.Count >= 3, $"{usage.Count} usage reports over 1 s at one per 200 ms");
        Assert.Equal(Enumerable.Range(1, usage.Count).Select(i => (long)i), usage.Select(u => u.Sequence));
        Assert.Equal(running.AtUnixMs, usage[0].FromUnixMs);
        for (var i = 1; i < usage.Count; i++)
            Assert.Equal(usage[i - 1].ToUnixMs, usage[i].FromUnixMs);
        // The tail is reported just before the end, up to the end's time.
        Assert.Same(usage[^1], messages[^2].UsageReport);
        Assert.Equal(End(messages).AtUnixMs, usage[^1].ToUnixMs);
        Gpunet.Core.Identity.ISignatureScheme scheme = Gpunet.Core.Identity.Secp256k1SignatureScheme.Instance;
        Assert.All(usage, u =>
        {
            Assert.Equal(("host-1", 2, 1000), (u.HostId, u.Gpus, u.GpuMilli));
            var statement = new Gpunet.Core.Metering.UsageStatement(u.LeaseId, u.HostId, u.FromUnixMs, u.ToUnixMs, u.Gpus, u.GpuMilli, u.Sequence, u.Attempt);
            Assert.True(scheme.Verify(statement.ToCanonical("devnet", wallet.Address), u.Signature));
        });
    }

    [SandboxFact]
    public async Task Start_WorkloadWritesAndExits_ReportsRunningThenLinesThenExited()
    {
        await using var supervisor = Supervisor();
        supervisor.Start(Lease("lease-1", "sh", "-c", "echo hi; echo err >&2; exit 3"));

        var messages = await UntilEndAsync(supervisor, "lease-1");

        Assert.Equal(Phase.Running, messages[0].LeaseReport.Phase);
        var lines = Lines(messages);
        Assert.Equal([1L, 2L], lines.Select(l => l.Sequence));
        Assert.Contains(lines, l => l is { Stream: "stdout", Text: "hi" });
        Assert.Contains(lines, l => l is { Stream: "stderr", Text: "err" });
        Assert.All(messages.Where(m => m.LeaseLog is not null), m => Assert.Equal("lease-1", m.LeaseLog.LeaseId));
        var end = End(messages);
        Assert.Equal((Phase.Exited, 3), (end.Phase, end.ExitCode));
        Assert.True(end.AtUnixMs > 0);

        // The end stays reported (e.g. with Register) until the coordinator says it stored it.
        Assert.Equal(Phase.Exited, Assert.Single(supervisor.Reports()).Phase);
        supervisor.Forget("lease-1");
        Assert.Empty(supervisor.Reports());
    }

    [SandboxFact]
    public async Task Reports_WhileRunning_SayRunning_AndForgetKeepsARunningLease()
    {
        await using var supervisor = Supervisor();
        supervisor.Start(Lease("lease-run", "sleep", "30"));
        var first = await supervisor.Outbox.ReadAsync();
        Assert.Equal((Phase.Running, "lease-run"), (first.LeaseReport.Phase, first.LeaseReport.LeaseId));

        supervisor.Forget("lease-run");
        var report = Assert.Single(supervisor.Reports());
        Assert.Equal(Phase.Running, report.Phase);
    }

    [SandboxFact]
    public async Task Stop_RunningLease_KillsItsProcessTreeAndReportsKilledWithTheReason()
    {
        await using var supervisor = Supervisor();
        // The sandbox's PID namespace numbers the processes from 1: the shell's child is found on the host by its argument.
        supervisor.Start(Lease("lease-stop", "sh", "-c", "sleep 30.0101 & echo started; wait"));
        var seen = new List<AgentMessage>();
        await UntilLineAsync(supervisor, l => l.Text == "started", seen);
        Assert.Single(ProcessProbe.WithArgument("30.0101"));

        supervisor.Stop("lease-stop", "lease cancelled by its tenant");
        var end = End(await UntilEndAsync(supervisor, "lease-stop", seen));

        Assert.Equal((Phase.Killed, "lease cancelled by its tenant", KillCause.StopRequested), (end.Phase, end.Detail, end.KillCause));
        await Eventually.Async(() => Task.FromResult<string?>(ProcessProbe.WithArgument("30.0101").Count > 0 ? "alive" : "gone"),
            s => s == "gone", "the shell's child to be gone");

        // Stopping again, or a lease never heard of, changes nothing.
        supervisor.Stop("lease-stop", "again");
        supervisor.Stop("lease-unknown", "who?");
        Assert.Equal("lease cancelled by its tenant", Assert.Single(supervisor.Reports()).Detail);
    }

    [SandboxFact]
    public async Task Start_SameLeaseTwice_RunsItOnce_EvenAfterItEnded()
    {
        await using var supervisor = Supervisor();
        supervisor.Start(Lease("lease-dup", "sh", "-c", "echo once"));
        supervisor.Start(Lease("lease-dup", "sh", "-c", "echo twice"));
        var messages = await UntilEndAsync(supervisor, "lease-dup");
        supervisor.Start(Lease("lease-dup", "sh", "-c", "echo thrice"));

        Assert.Equal("once", Assert.Single(Lines(messages)).Text);
        Assert.Single(messages, m => m.LeaseReport is { Phase: Phase.Running });
        Assert.Equal(Phase.Exited, Assert.Single(supervisor.Reports()).Phase);
        Assert.False(supervisor.Outbox.TryRead(out _));
    }

    [Theory]
    [InlineData("lease-vm", "vm", "/bin/true", "unknown runtime 'vm'")]
    [InlineData("../escape", "process", "/bin/true", "lease id '../escape' is not a plain name")]
    [InlineData("lease-noprog", "process", "/nonexistent/program", "/nonexistent/program")]
    [InlineData("lease-nopath", "process", "gpunet-no-such-program", "gpunet-no-such-program")]
    public async Task Start_CannotStart_ReportsStartFailedWithTheReason(string leaseId, string runtime, string program, string reason)
    {
        await using var supervisor = Supervisor();
        var start = Lease(leaseId, program);
        start.Runtime = runtime;
        supervisor.Start(start);

        var report = (await UntilEndAsync(supervisor, leaseId)).Single().LeaseReport;
        Assert.Equal(Phase.StartFailed, report.Phase);
        Assert.Contains(reason, report.Detail, StringComparison.Ordinal);
        Assert.Equal(Phase.StartFailed, Assert.Single(supervisor.Reports()).Phase);
    }

    [Fact]
    public async Task Start_OnAHoneypot_RunsNothing_ReportsStartFailed()
    {
        // A planted host's agent (--honeypot) must never run a customer's workload: an order placed on it before its first
        // failed check holds it ends START_FAILED and the lease moves on.
        var root = ProcessProbe.Root();
        var marker = Path.Combine(root, "ran");
        await using var supervisor = Supervisor(new RefusingRuntime(new ProcessRuntime(root, TimeProvider.System) { AllowUnsandboxed = true }));
        supervisor.Start(Lease("lease-decoy", "/bin/sh", "-c", $"touch {marker}"));

        var report = (await UntilEndAsync(supervisor, "lease-decoy")).Single().LeaseReport;
        Assert.Equal((Phase.StartFailed, "the process runtime is not available"), (report.Phase, report.Detail));
        Assert.False(File.Exists(marker));
    }

    [SandboxFact]
    public async Task Start_DockerLeaseWithoutEngine_ReportsStartFailedNamingTheEngine()
    {
        var root = ProcessProbe.Root();
        var docker = new DockerRuntime(root, TimeProvider.System, new Uri("unix:///nonexistent/docker.sock"));
        await using var supervisor = Supervisor(new ProcessRuntime(root, TimeProvider.System), docker);
        var start = Lease("lease-docker", "busybox", "true");
        start.Runtime = "docker";
        supervisor.Start(start);

        var report = (await UntilEndAsync(supervisor, "lease-docker")).Single().LeaseReport;
        Assert.Equal((Phase.StartFailed, "no Docker Engine at unix:///nonexistent/docker.sock"), (report.Phase, report.Detail));
    }

    [SandboxFact]
    public async Task Start_WithMaxSeconds_KillsTheWorkloadAtTheLimit()
    {
        await using var supervisor = Supervisor();
        var start = Lease("lease-time", "sleep", "30");
        start.MaxSeconds = 1;
        supervisor.Start(start);

        var end = End(await UntilEndAsync(supervisor, "lease-time"));
        Assert.Equal((Phase.Killed, "time limit of 1 s reached", KillCause.TimeLimit), (end.Phase, end.Detail, end.KillCause));
    }

    [SandboxFact]
    public async Task Start_GpusAndEnvironment_AreWhatTheWorkloadSees()
    {
        await using var supervisor = Supervisor();
        var start = Lease("lease-env", "sh", "-c",
            "echo cuda=$CUDA_VISIBLE_DEVICES nvidia=$NVIDIA_VISIBLE_DEVICES host=$GPUNET_GPU_INDICES lease=$GPUNET_LEASE_ID model=$MODEL");
        start.GpuIndices.Add([0, 3]);
        start.Environment["MODEL"] = "llama";
        supervisor.Start(start);

        // In the sandbox the leased GPUs are the only ones, numbered from 0 as CUDA sees them.
        var lines = Lines(await UntilEndAsync(supervisor, "lease-env"));
        Assert.Equal("cuda=0,1 nvidia=0,1 host=0,3 lease=lease-env model=llama", Assert.Single(lines).Text);
    }

    [SandboxFact]
    public async Task Start_ManyLines_AreBatchedInOrderWithoutLoss()
    {
        await using var supervisor = Supervisor();
        supervisor.Start(Lease("lease-many", "sh", "-c", "i=1; while [ $i -le 600 ]; do echo line $i; i=$((i+1)); done"));

        var messages = await UntilEndAsync(supervisor, "lease-many");
        var batches = messages.Where(m => m.LeaseLog is not null).Select(m => m.LeaseLog).ToList();
        Assert.All(batches, b => Assert.InRange(b.Lines.Count, 1, 256));
        Assert.Equal(Enumerable.Range(1, 600).Select(i => $"line {i}"), batches.SelectMany(b => b.Lines).Select(l => l.Text));
        Assert.Equal(Phase.Exited, End(messages).Phase);
    }

    [SandboxFact]
    public async Task Dispose_KillsRunningWorkloads_ReportsThemAndCompletesTheOutbox()
    {
        var supervisor = Supervisor();
        supervisor.Start(Lease("lease-dispose", "sh", "-c", "echo started; sleep 30.0202"));
        var seen = new List<AgentMessage>();
        await UntilLineAsync(supervisor, l => l.Text == "started", seen);
        Assert.Single(ProcessProbe.WithArgument("30.0202"));

        await supervisor.DisposeAsync();

        await foreach (var message in supervisor.Outbox.ReadAllAsync())
            seen.Add(message);
        Assert.Equal((Phase.Killed, "agent stopping", KillCause.AgentStopping), (End(seen).Phase, End(seen).Detail, End(seen).KillCause));
        Assert.Empty(ProcessProbe.WithArgument("30.0202"));
    }
}
