using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>A host in the chaos run: its agent (a <see cref="FakeAgent"/> while connected), and what the agent knows —
/// the leases it was told to start, the ones it runs, and the ones it ran before (their late reports).</summary>
internal sealed class ChaosHost(string seed, Wallet wallet, string[] uuids)
{
    public string Seed { get; } = seed;

    public string HostId { get; private set; } = "";

    public FakeAgent? Agent { get; private set; }

    /// <summary>Frozen: its stream is open, it sends nothing and reads nothing.</summary>
    public bool Silent { get; private set; }

    /// <summary>How far the agent's clock is behind the coordinator's, in ms (its report periods end that much early).</summary>
    public int SkewMs { get; set; }

    /// <summary>Start commands received, not run yet.</summary>
    public List<StartLease> Starts { get; } = [];

    /// <summary>Workloads running (or, while disconnected, ended and not told yet).</summary>
    public List<ChaosRun> Runs { get; } = [];

    /// <summary>Runs stopped or forgotten: a report of one may still arrive late.</summary>
    public List<ChaosRun> Finished { get; } = [];

    /// <summary>Connected and not frozen: it heartbeats, reads its commands and reports.</summary>
    public bool Up => Agent is not null && !Silent;

    /// <summary>Registers (again), telling the coordinator every workload it still runs or that ended meanwhile.</summary>
    public async Task ConnectAsync(TestCoordinator c)
    {
        Agent = await FakeAgent.ConnectAsync(c, Seed, wallet, [.. Runs.Select(r => r.Registered())], uuids: uuids);
        HostId = Agent.HostId;
        Silent = false;
        foreach (var exited in Runs.Where(r => r.ExitedAway is not null).ToList())
            Take(exited.Lease.LeaseId);
        await c.Clock().SettleAsync();
    }

    /// <summary>The stream closes (the agent's connection broke, or the coordinator went away); its workloads go on.</summary>
    public async Task DropAsync()
    {
        if (Agent is { } agent)
            await agent.DisposeAsync();
        Agent = null;
        Silent = false;
    }

    public void Freeze()
    {
        Agent!.GoSilent();
        Silent = true;
    }

    public void Thaw()
    {
        Agent!.Resume();
        Silent = false;
    }

    /// <summary>Heartbeats, then does what every command sent before the answer says; returns what it did.</summary>
    public async Task<List<string>> PumpAsync()
    {
        var done = new List<string>();
        if (!Up)
            return done;
        var agent = Agent!;
        await agent.HeartbeatAsync();
        while (agent.TryNextCommand(out var command))
        {
            if (command.StartLease is { } start)
            {
                if (!Starts.Any(s => Same(s, start)) && !Runs.Any(r => Same(r.Lease, start)))
                {
                    Starts.Add(start);
                    done.Add($"start {start.LeaseId}#{start.Attempt}");
                }
            }
            else if (command.StopLease is { } stop)
            {
                Starts.RemoveAll(s => s.LeaseId == stop.LeaseId);
                if (Take(stop.LeaseId) is { } run)
                {
                    await agent.ReportAsync(run.Lease.LeaseId, Phase.Killed, detail: stop.Reason, killCause: LeaseReport.Types.KillCause.StopRequested);
                    done.Add($"stopped {stop.LeaseId}");
                }
            }
            else if (command.ForgetLease is { } forget)
            {
                if (Take(forget.LeaseId) is not null)
                    done.Add($"forgot {forget.LeaseId}");
            }
            else if (command.Disconnect is not null)
            {
                await DropAsync();
                done.Add("disconnected");
                break;
            }
        }

        return done;
    }

    /// <summary>Stops tracking a run (it ended here), keeping it for late reports.</summary>
    public ChaosRun? Take(string leaseId)
    {
        var run = Runs.Find(r => r.Lease.LeaseId == leaseId);
        if (run is null)
            return null;
        Runs.Remove(run);
        Finished.Add(run);
        return run;
    }

    private static bool Same(StartLease a, StartLease b) => a.LeaseId == b.LeaseId && a.Attempt == b.Attempt;
}
