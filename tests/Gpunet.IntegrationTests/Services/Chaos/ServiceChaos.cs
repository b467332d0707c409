using System.Globalization;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>A seeded chaos run against the coordinator's real services on the fake clock: customers rent and cancel,
/// agents run, report usage and lines (some twice, some late), freeze, lose their streams and come back with their clocks
/// skewed, time jumps, and the coordinator is restarted on its store. Every choice comes from the seed; after every step
/// <see cref="ChaosInvariants"/> must hold.</summary>
internal sealed partial class ServiceChaos : IAsyncDisposable
{
    private const int HostCount = 3;
    private const int GpusPerHost = 4;
    private const int MaxCustomers = 3;

    private readonly int _seed;
    private readonly Random _random;
    private readonly SteppedClock _clock = new() { SerialRounds = true };
    private readonly string _dataDir = TestCoordinator.NewDataDir();
    private readonly List<ChaosHost> _hosts = [];
    private readonly List<ChaosCustomer> _customers = [];
    private readonly List<string> _leases = [];
    private readonly List<string> _actions = [];
    private readonly ChaosInvariants _invariants = new();
    private readonly Dictionary<(string Lease, int Attempt, long Sequence), long> _billed = [];
    private readonly Dictionary<(string Lease, int Attempt, long Sequence), string> _linesSent = [];
    private readonly HashSet<(string Lease, int Attempt, long Sequence)> _linesOwed = [];
    private readonly long _startMs;
    private TestCoordinator _c = null!;
    private bool _minted;

    private ServiceChaos(int seed)
    {
        _seed = seed;
        // Tests are outside the banned-symbol rule; the seed is the only source of choice.
        _random = new Random(seed);
        _startMs = _clock.NowMs;
    }

    /// <summary>Runs <paramref name="steps"/> steps of seed <paramref name="seed"/>, checking every invariant after each;
    /// returns a digest of what the store holds at the end (ids and times made relative, so two runs compare) and the
    /// actions taken.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">An invariant broke, or a step failed: the message names the seed, the
    /// step and every action so far.</exception>
    public static async Task<(string Digest, string Actions)> RunAsync(int seed, int steps)
    {
        await using var run = new ServiceChaos(seed);
        await run.StartAsync();
        for (var step = 1; step <= steps; step++)
        {
            run._minted = false;
            string action;
            try
            {
                action = await run.StepAsync(step);
                var pumped = await run.PumpAllAsync();
                if (pumped.Length > 0)
                    action += " | " + pumped;
            }
            catch (ChaosViolation e)
            {
                throw run.Broken(step, e.Message);
            }
            catch (Exception e) when (e is not ChaosBroken)
            {
                throw run.Broken(step, $"the step failed: {e}");
            }

            run._actions.Add(string.Create(CultureInfo.InvariantCulture, $"{step,3} t+{(run._clock.NowMs - run._startMs) / 1000}s {action}"));
            var problems = await run._invariants.CheckAsync(run._c, run._leases, run._billed, run._minted);
            if (problems.Count > 0)
                throw run.Broken(step, string.Join("\n", problems));
        }

        var lines = await run.LinesKeptAsync();
        if (lines.Count > 0)
            throw run.Broken(steps, string.Join("\n", lines));
        return (await run.DigestAsync(), string.Join("\n", run._actions));
    }

    private static void Configure(CoordinatorOptions o)
    {
        // Ten-second epochs settled a step after their end; heard times stored every 2 steps (a restart loses little).
        o.Ledger.EpochLength = TimeSpan.FromSeconds(10);
        o.Ledger.SettlementDelay = SteppedClock.Step;
        o.Hosts.PersistHeardEvery = 2 * SteppedClock.Step;
    }

    private async Task StartAsync()
    {
        _c = await ServiceCoordinator.StartAsync(Configure, dataDir: _dataDir, clock: _clock);
        for (var h = 0; h < HostCount; h++)
        {
            var seed = string.Create(CultureInfo.InvariantCulture, $"chaos-{_seed}-{h}");
            var host = new ChaosHost(seed, NewWallet(), [.. Enumerable.Range(0, GpusPerHost).Select(i => $"{seed}-GPU-{i}")]);
            _hosts.Add(host);
            await host.ConnectAsync(_c);
        }

        // Registered and first heard at once: Ready after the next heartbeat.
        await _clock.AdvanceAsync(2 * SteppedClock.Step);
    }

    /// <summary>A wallet from the seed, so a replay has the same participants.</summary>
    private Wallet NewWallet()
    {
        var key = new byte[32];
        _random.NextBytes(key);
        return Wallet.FromPrivateKey(Convert.ToHexString(key));
    }

    private async Task<string> StepAsync(int step)
    {
        var up = _hosts.Where(h => h.Up).ToList();
        var choices = new List<(int Weight, Func<Task<string>> Act)>
        {
            (14, RentAsync),
            (20, AdvanceAsync),
        };
        if (_leases.Count > 0)
            choices.Add((4, CancelAsync));
        if (up.Any(h => h.Starts.Count > 0))
            choices.Add((14, () => RunLeaseAsync(Pick(up.Where(h => h.Starts.Count > 0)))));
        if (up.Any(h => h.Runs.Count > 0))
        {
            var running = up.Where(h => h.Runs.Count > 0).ToList();
            choices.Add((14, () => SendLinesAsync(Pick(running))));
            choices.Add((3, () => EndAsync(Pick(running))));
        }

        if (up.Any(h => h.Runs.Any(r => Unreported(h, r))))
            choices.Add((18, () => UsageAsync(Pick(up.Where(h => h.Runs.Any(r => Unreported(h, r)))))));

        if (up.Any(h => h.Finished.Count > 0))
            choices.Add((3, () => LateUsageAsync(Pick(up.Where(h => h.Finished.Count > 0)))));
        if (up.Count > 0)
        {
            choices.Add((3, () => FreezeAsync(Pick(up))));
            choices.Add((3, () => DropAsync(Pick(up))));
        }

        if (_hosts.Any(h => h.Silent))
            choices.Add((6, () => ThawAsync(Pick(_hosts.Where(h => h.Silent)))));
        if (_hosts.Any(h => h.Agent is null))
            choices.Add((6, () => ReconnectAsync(Pick(_hosts.Where(h => h.Agent is null)))));
        if (_hosts.Any(h => h.Agent is null && h.Runs.Any(r => r.ExitedAway is null)))
            choices.Add((2, () => ExitAwayAsync(Pick(_hosts.Where(h => h.Agent is null && h.Runs.Any(r => r.ExitedAway is null))))));
        // At least one restart in every run past its first third.
        choices.Add((step > 20 && !_actions.Any(a => a.Contains("restart", StringComparison.Ordinal)) ? 40 : 2, RestartAsync));

        var roll = _random.Next(choices.Sum(c => c.Weight));
        foreach (var (weight, act) in choices)
        {
            if (roll < weight)
                return await act();
            roll -= weight;
        }

        throw new InvalidOperationException("no action chosen");
    }

    /// <summary>Whether the agent's clock has moved past the end of the run's last report.</summary>
    private bool Unreported(ChaosHost host, ChaosRun run) => _clock.NowMs - host.SkewMs > run.ReportedToMs;

    private T Pick<T>(IEnumerable<T> from)
    {
        var list = from.ToList();
        return list[_random.Next(list.Count)];
    }

    private string Name(string leaseId)
    {
        var i = _leases.IndexOf(leaseId);
        return i < 0 ? leaseId : string.Create(CultureInfo.InvariantCulture, $"L{i}");
    }

    private string Name(ChaosHost host) => string.Create(CultureInfo.InvariantCulture, $"H{_hosts.IndexOf(host)}");

    private async Task<string> RentAsync()
    {
        ChaosCustomer customer;
        if (_customers.Count < MaxCustomers && (_customers.Count == 0 || _random.Next(3) == 0))
        {
            var wallet = NewWallet();
            customer = new ChaosCustomer(wallet, await _c.CustomerAsync(wallet, funds: 100_000));
            _customers.Add(customer);
            _minted = true;
        }
        else
        {
            customer = Pick(_customers);
        }

        var count = 1 + _random.Next(4);
        var restart = _random.Next(2) == 0 ? "on-host-loss" : "never";
        // Queued at most 30 s: some orders wait for capacity, some expire unplaced.
        var order = await customer.Http.RentAsync(MarketClient.Order("sleep 600", count: count, restart: restart, queueMinutes: 0.5));
        customer.Leases.AddRange(order.Leases.Select(l => l.Id));
        _leases.AddRange(order.Leases.Select(l => l.Id));
        return $"C{_customers.IndexOf(customer)} rents {count} GPU restart={restart}: {Name(order.LeaseId)} {order.State}";
    }

    private async Task<string> CancelAsync()
    {
        var leaseId = Pick(_leases);
        var customer = _customers.Single(c => c.Leases.Contains(leaseId));
        using var response = await customer.Http.PostAsync($"/api/v1/leases/{leaseId}/cancel", null);
        // An ended lease cannot be cancelled (409); anything else but OK is a failure.
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.Conflict)
            throw new InvalidOperationException($"cancelling {leaseId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return $"cancel {Name(leaseId)}: {(int)response.StatusCode}";
    }

    private async Task<string> AdvanceAsync()
    {
        var seconds = 1 + _random.Next(15);
        await _clock.AdvanceAsync(TimeSpan.FromSeconds(seconds));
        return string.Create(CultureInfo.InvariantCulture, $"advance {seconds}s");
    }

    private async Task<string> RunLeaseAsync(ChaosHost host)
    {
        var start = host.Starts[0];
        host.Starts.RemoveAt(0);
        host.Runs.Add(new ChaosRun(start, _clock.NowMs));
        await host.Agent!.ReportAsync(start.LeaseId, Phase.Running);
        return $"{Name(host)} runs {Name(start.LeaseId)}#{start.Attempt}";
    }

    private async Task<string> EndAsync(ChaosHost host)
    {
        var run = Pick(host.Runs);
        var code = _random.Next(2);
        host.Take(run.Lease.LeaseId);
        await host.Agent!.ReportAsync(run.Lease.LeaseId, Phase.Exited, exitCode: code);
        return $"{Name(host)} {Name(run.Lease.LeaseId)} exits {code}";
    }

    private Task<string> FreezeAsync(ChaosHost host)
    {
        host.Freeze();
        return Task.FromResult($"{Name(host)} freezes");
    }

    private Task<string> ThawAsync(ChaosHost host)
    {
        host.Thaw();
        host.SkewMs = _random.Next(900);
        return Task.FromResult($"{Name(host)} thaws, {host.SkewMs} ms behind");
    }

    private async Task<string> DropAsync(ChaosHost host)
    {
        await BreakStreamAsync(host);
        return $"{Name(host)} loses its stream";
    }

    private async Task BreakStreamAsync(ChaosHost host)
    {
        await host.DropAsync();
        // The coordinator learns of the close on its own time: wait for it, so the market's next round sees the stream
        // gone in every replay (the moment it notices is when stream-loss failover starts counting).
        await Eventually.Async(() => _c.HostAsync(host.HostId), h => !h.Connected, $"host {host.HostId} to be seen disconnected");
        await _clock.SettleAsync();
    }

    /// <summary>A workload exits while its agent has no stream: the agent tells at its next registration.</summary>
    private Task<string> ExitAwayAsync(ChaosHost host)
    {
        var run = Pick(host.Runs.Where(r => r.ExitedAway is null));
        run.ExitedAway = (_random.Next(2), _clock.NowMs);
        return Task.FromResult($"{Name(host)} {Name(run.Lease.LeaseId)} exits {run.ExitedAway.Value.Code} while away");
    }

    private async Task<string> ReconnectAsync(ChaosHost host)
    {
        var told = host.Runs.Count(r => r.ExitedAway is not null);
        await host.ConnectAsync(_c);
        host.SkewMs = _random.Next(900);
        return $"{Name(host)} reconnects with {host.Runs.Count} running, {told} exited, {host.SkewMs} ms behind{await ResendAsync(host)}";
    }

    /// <summary>The coordinator stops (every stream with it), stays down 0–4 s, and starts again on its store; the agents
    /// that were up reconnect, customers sign in again.</summary>
    private async Task<string> RestartAsync()
    {
        var reconnect = _hosts.Where(h => h.Up).ToList();
        foreach (var host in _hosts)
            await host.DropAsync();
        await _c.DisposeAsync();
        var down = _random.Next(5);
        await _clock.AdvanceAsync(TimeSpan.FromSeconds(down));
        _c = await ServiceCoordinator.StartAsync(Configure, dataDir: _dataDir, clock: _clock);
        foreach (var customer in _customers)
        {
            customer.Http.Dispose();
            customer.Http = await _c.CustomerAsync(customer.Wallet, funds: 0);
        }

        var resent = "";
        foreach (var host in reconnect)
        {
            await host.ConnectAsync(_c);
            resent += await ResendAsync(host);
        }

        return string.Create(CultureInfo.InvariantCulture, $"restart, down {down}s, {reconnect.Count} agents back{resent}");
    }

    /// <summary>Every agent that is up reads and obeys its commands.</summary>
    private async Task<string> PumpAllAsync()
    {
        var done = new List<string>();
        foreach (var host in _hosts)
            done.AddRange((await host.PumpAsync()).Select(d => $"{Name(host)} {d}"));
        return string.Join(", ", done.Select(d => _leases.Aggregate(d, (text, id) => text.Replace(id, Name(id), StringComparison.Ordinal))));
    }

    private async Task<LeaseRecord?> LeaseAsync(string leaseId)
    {
        await using var db = await _c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.Leases.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leaseId);
    }

    private ChaosBroken Broken(int step, string what) => new(
        $"service chaos seed {_seed} broke at step {step} (replay: ServiceChaos.RunAsync({_seed}, {step})):\n{what}\nactions:\n{string.Join("\n", _actions)}");

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DropAsync();
        foreach (var customer in _customers)
            customer.Http.Dispose();
        if (_c is not null)
            await _c.DisposeAsync();
    }

    /// <summary>An invariant broke or a step failed; the message says how to replay it.</summary>
    private sealed class ChaosBroken(string message) : Xunit.Sdk.XunitException(message);
}
