using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Cli.Commands;
using Gpunet.Core.Ledger;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench kills</c>: a real coordinator process killed with SIGKILL at seeded random moments while
/// real agents run leases, restarted on the same store each time; then the store is audited: the ledger balances with
/// the supply constant, every epoch is settled once, every lease is charged what was billed, and each lease's billed
/// time is compared with how long its workload really ran.</summary>
/// <remarks>The target (issue 13): billed time ≥ the workload's time − kills × one heartbeat interval, per lease. The
/// workload's time is read from the agents' disks (<see cref="KillsMeasurement"/>), never from what the coordinator
/// accepted, so a report it refused or lost counts against it.</remarks>
internal sealed class BenchKillsCommand : AsyncCommand<BenchKillsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--kills <N>")]
        [Description("SIGKILLs of the coordinator. Default 20")]
        public int Kills { get; init; } = 20;

        [CommandOption("--hosts <N>")]
        [Description("Agent processes, each with one simulated H100 and one lease. Default 3")]
        public int Hosts { get; init; } = 3;

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the up-times between kills; default a random one (printed, so a run can be repeated)")]
        public ulong? Seed { get; init; }

        [CommandOption("--postgres <CONN>")]
        [Description("Run on a scratch database created (and dropped) on this PostgreSQL server; default a SQLite file in a scratch folder")]
        public string? Postgres { get; init; }

        [CommandOption("--heartbeat <SECONDS>")]
        [Description("The coordinator's heartbeat interval (gpunet coordinator --heartbeat). Default 2")]
        public double Heartbeat { get; init; } = 2;

        [CommandOption("--epoch <SECONDS>")]
        [Description("Epoch length (gpunet coordinator --epoch): short, so that kills land inside settlements. Default 10")]
        public double Epoch { get; init; } = 10;

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Kills is < 0 or > 1000 ? ValidationResult.Error("--kills: between 0 and 1000")
            : Hosts is < 1 or > 64 ? ValidationResult.Error("--hosts: between 1 and 64")
            : Heartbeat is < 0.2 or > 60 ? ValidationResult.Error("--heartbeat: between 0.2 and 60 seconds")
            : Epoch is < 1 or > 3600 ? ValidationResult.Error("--epoch: between 1 and 3600 seconds")
            : ValidationResult.Success();
    }

    private sealed record Run(
        ulong Seed, IReadOnlyList<TimeSpan> UpTimes, IReadOnlyList<TimeSpan> Restarts, KillsHearing Hearing, double Seconds, bool UsageSettled,
        LedgerAuditResult? Audit, KillsMeasurement.StoreFigures Store, string StoreName);

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        using var interrupt = new Interrupt(cancellationToken);
        var ct = interrupt.Token;
        var time = TimeProvider.System;
        var seed = s.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var upTimes = KillSchedule.UpTimes(seed, s.Kills, TimeSpan.FromSeconds(s.Epoch));
        await using var net = await KillsNetwork.CreateAsync(s.Postgres, s.Heartbeat, s.Epoch, time, ct);
        Run run;
        try
        {
            run = await RunAsync(s, net, seed, upTimes, time, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            net.Keep = true;
            throw new CliException($"bench kills (seed {seed}) stopped: {e.Message}; its processes' logs and store are kept in {net.Folder}", e);
        }

        var failures = Failures(s, run);
        if (failures.Count > 0)
            net.Keep = true;
        Print(s, run, failures, net.Keep ? net.Folder : null);
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<Run> RunAsync(Settings s, KillsNetwork net, ulong seed, IReadOnlyList<TimeSpan> upTimes, TimeProvider time, CancellationToken ct)
    {
        var began = time.GetTimestamp();
        var since = time.GetUtcNow();
        void Step(string line)
        {
            if (!s.Json)
                AnsiConsole.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");
        }

        Step($"seed {seed}: starting the coordinator ({net.StoreName}) and {s.Hosts} agents in {net.Folder}");
        await net.StartCoordinatorAsync(ct);
        var operators = Enumerable.Range(0, s.Hosts).Select(net.StartAgent).ToList();
        var hosts = await KillsParticipants.ReadyHostsAsync(net, operators, time, ct);
        var customer = await KillsParticipants.FundAsync(net, hosts, operators, ct);
        var leases = await KillsParticipants.RentAsync(net, customer, hosts, time, ct);
        Step($"{leases.Count} leases running; killing the coordinator {s.Kills} times");

        var restarts = new List<TimeSpan>(upTimes.Count);
        var hearing = new KillsHearing(hosts.Select(h => h.Id), TimeSpan.FromSeconds(s.Heartbeat));
        await BenchProgress.RunAsync(s.Json, "coordinator kills", upTimes.Count, async tick =>
        {
            foreach (var upTime in upTimes)
            {
                // While it is up, when each host is heard again after the last kill.
                using (var up = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var watching = hearing.WatchAsync(net, time, up.Token);
                    await Task.Delay(upTime, time, ct);
                    await up.CancelAsync();
                    await watching;
                }

                hearing.Killed(time.GetUtcNow());
                await net.KillCoordinatorAsync();
                restarts.Add(await net.StartCoordinatorAsync(ct));
                if (net.AnAgentExited)
                    throw new CliException("an agent process exited; see its agent.log");
                tick();
            }
        });
        using (var back = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            // A bound that only catches a host that never comes back (the leases' end then shows it).
            back.CancelAfter(TimeSpan.FromSeconds(60));
            await hearing.WatchAsync(net, time, back.Token);
        }

        Step("cancelling the leases and waiting for their last usage to be settled");
        await KillsParticipants.CancelAsync(net, customer, leases, hosts, time, ct);
        var homes = net.AgentHomes.ToList();
        // A generous bound that only catches usage that never arrives: the last report waits a heartbeat, its epoch
        // ends within an epoch and settles a quarter of one later.
        var settled = await KillsParticipants.WaitAsync(time, TimeSpan.FromSeconds(2 * s.Epoch + 10 * s.Heartbeat + 60), async () =>
        {
            var lastTicks = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var lease in leases)
                lastTicks[lease] = KillsMeasurement.WorkloadOf(lease, homes)?.LastMs ?? long.MaxValue;
            return await KillsMeasurement.UsageSettledAsync(net.Store, lastTicks, ct);
        }, ct);

        LedgerAuditResult? audit;
        using (var admin = net.Admin())
            audit = await admin.GetAsync<LedgerAuditResult>("/api/v1/ledger/verify", ct);
        var seconds = time.GetElapsedTime(began).TotalSeconds;
        await net.StopAsync();
        var figures = await KillsMeasurement.ReadAsync(net.Store, leases, homes, since, ct);
        return new Run(seed, upTimes, restarts, hearing, seconds, settled, audit, figures, net.StoreName);
    }

    /// <summary>Every invariant the run broke, one line each; none when it held.</summary>
    private static List<string> Failures(Settings s, Run run)
    {
        var failures = new List<string>();
        var boundMs = BoundMs(s);
        if (!LedgerHolds(run))
        {
            failures.Add($"ledger not balanced or supply not constant: total supply {run.Audit?.TotalSupply}, sum of balances {run.Audit?.SumOfBalances}; "
                + string.Join("; ", run.Audit?.Problems ?? ["no audit"]));
        }

        var e = run.Store.Epochs;
        if (e.Settled == 0)
            failures.Add("no epoch settled");
        if (!e.SettledOnce)
            failures.Add($"epochs not settled once: missing [{string.Join(", ", e.Missing)}] {string.Join("; ", e.Mismatched)}"
                + (e.First != e.NetworkFirst ? $"; first settled {e.First}, the network's first {e.NetworkFirst}" : ""));
        if (!run.UsageSettled)
            failures.Add("the leases' last usage was not stored and settled in time");
        foreach (var l in run.Store.Leases)
        {
            if (l.State != "Cancelled")
                failures.Add($"{l.Lease} ended {l.State} ({l.EndReason}), not cancelled by the benchmark");
            if (l.ChargedMs != l.SettledBilledMs || l.UnsettledRows > 0)
                failures.Add($"{l.Lease} charged {l.ChargedMs} ms for {l.SettledBilledMs} ms billed in settled usage ({l.UnsettledRows} rows unsettled)");
            if (BeyondUnheardMs(run, l) > boundMs)
            {
                failures.Add($"{l.Lease} billed {Sec(l.BilledMs):0.0} s of {Sec(l.WorkloadMs):0.0} s run: short {Sec(l.ShortfallMs):0.0} s, "
                    + $"{Sec(BeyondUnheardMs(run, l)):0.0} s more than its host went unheard ({Sec(UnheardMs(run, l)):0.0} s); the coordinator's bound is {Sec(boundMs):0.0} s");
            }

            if (l.BilledMs > l.WorkloadMs + (OverBillingToleranceMs * Math.Max(1, l.Attempt)))
                failures.Add($"{l.Lease} billed {Sec(l.BilledMs):0.0} s for {Sec(l.WorkloadMs):0.0} s run");
        }

        if (run.Store.Slashes > 0)
            failures.Add($"{run.Store.Slashes} slash events: no host stopped, only the coordinator");
        return failures;
    }

    // The ledger audit `gpunet ledger verify` prints: balanced, and the balances sum to the supply created at genesis.
    private static bool LedgerHolds(Run run) => run.Audit is { Balanced: true, Problems.Count: 0 } a
        && a.TotalSupply == TokenAmount.TotalSupply && a.SumOfBalances == TokenAmount.TotalSupply;

    // The target's allowance per lease: kills × one heartbeat interval.
    private static long AllowedMs(Settings s) => (long)(s.Kills * s.Heartbeat * 1000);

    // The coordinator's own bound (README, "Durable heard time"): each crash costs the time the host went unheard, plus
    // the heartbeat interval before it (heard time ends at the last heartbeat), what was heard since the last write of
    // heard times (a persist period, on the monitor's ticks) and the two roundings of the stored times.
    private static long BoundMs(Settings s)
    {
        var persist = CoordinatorCommand.PersistHeardEvery(s.Heartbeat).TotalSeconds;
        var tick = CoordinatorCommand.MonitorInterval(s.Heartbeat).TotalSeconds;
        var written = Math.Ceiling(persist / tick) * tick;
        return (long)(s.Kills * (s.Heartbeat + written + 0.2) * 1000);
    }

    // Per attempt: the workload's first line comes a moment after the start the agent reports and bills from.
    private const long OverBillingToleranceMs = 1000;

    // How long the coordinator was down in all, from each kill until the restarted one answered.
    private static long OutageMs(Run run) => (long)run.Restarts.Sum(r => r.TotalMilliseconds);

    // How long the lease's host went unheard because of the kills (down, then until its agent was back): nobody could
    // bill that time.
    private static long UnheardMs(Run run, KillsMeasurement.LeaseFigures l) => l.Host is null ? 0 : (long)run.Hearing.Of(l.Host).TotalMilliseconds;

    // The lease's shortfall beyond the time its host went unheard: what the crashes cost in billing of heard time.
    private static long BeyondUnheardMs(Run run, KillsMeasurement.LeaseFigures l) => l.ShortfallMs - UnheardMs(run, l);

    private static double Sec(long ms) => Math.Round(ms / 1000.0, 3);

    private static void Print(Settings s, Run run, List<string> failures, string? keptIn)
    {
        var leases = run.Store.Leases;
        var allowedMs = AllowedMs(s);
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "kills",
                store = run.StoreName,
                seed = run.Seed.ToString(CultureInfo.InvariantCulture),
                kills = s.Kills,
                hosts = s.Hosts,
                heartbeatSeconds = s.Heartbeat,
                epochSeconds = s.Epoch,
                seconds = Math.Round(run.Seconds, 1),
                upTimesSeconds = run.UpTimes.Select(u => Math.Round(u.TotalSeconds, 3)),
                restartSeconds = run.Restarts.Select(r => Math.Round(r.TotalSeconds, 3)),
                epochsSettled = run.Store.Epochs.Settled,
                firstEpoch = run.Store.Epochs.First,
                lastEpoch = run.Store.Epochs.Last,
                epochsSettledOnce = run.Store.Epochs.SettledOnce,
                balanced = run.Audit?.Balanced,
                totalSupply = run.Audit?.TotalSupply.ToString(),
                sumOfBalances = run.Audit?.SumOfBalances.ToString(),
                usageSettled = run.UsageSettled,
                workloadSeconds = Sec(leases.Sum(l => l.WorkloadMs)),
                reportedSeconds = Sec(leases.Sum(l => l.ReportedMs)),
                billedSeconds = Sec(leases.Sum(l => l.BilledMs)),
                chargedSeconds = Sec(leases.Sum(l => l.ChargedMs)),
                shortfallSeconds = Sec(leases.Sum(l => l.ShortfallMs)),
                maxShortfallSeconds = leases.Count == 0 ? 0 : Sec(leases.Max(l => l.ShortfallMs)),
                outageSeconds = Sec(OutageMs(run)),
                unheardSeconds = Sec(leases.Sum(l => UnheardMs(run, l))),
                shortfallBeyondUnheardSeconds = Sec(leases.Sum(l => BeyondUnheardMs(run, l))),
                maxShortfallBeyondUnheardSeconds = leases.Count == 0 ? 0 : Sec(leases.Max(l => BeyondUnheardMs(run, l))),
                targetSeconds = Sec(allowedMs),
                targetMet = leases.All(l => l.ShortfallMs <= allowedMs),
                targetMetBeyondUnheard = leases.All(l => BeyondUnheardMs(run, l) <= allowedMs),
                boundSeconds = Sec(BoundMs(s)),
                leases = leases.Select(l => new
                {
                    lease = l.Lease, host = l.Host, state = l.State, attempt = l.Attempt, workloadSeconds = Sec(l.WorkloadMs),
                    reportedSeconds = Sec(l.ReportedMs), billedSeconds = Sec(l.BilledMs), chargedSeconds = Sec(l.ChargedMs),
                    shortfallSeconds = Sec(l.ShortfallMs), unheardSeconds = Sec(UnheardMs(run, l)), shortfallBeyondUnheardSeconds = Sec(BeyondUnheardMs(run, l)),
                    usageReports = l.UsageRows,
                }),
                slashes = run.Store.Slashes,
                suspectTransitions = run.Store.SuspectTransitions,
                offlineTransitions = run.Store.OfflineTransitions,
                ok = failures.Count == 0,
                failures,
                kept = keptIn,
            }));
            return;
        }

        var t = new Table().RoundedBorder().Title($"[bold]gpunet bench kills[/]: {s.Kills} SIGKILLs of the coordinator, {s.Hosts} agents, {run.StoreName}")
            .AddColumns("", "");
        t.AddRow("seed", run.Seed.ToString(CultureInfo.InvariantCulture));
        t.AddRow("heartbeat / epoch", $"{s.Heartbeat:0.##} s / {s.Epoch:0.##} s");
        t.AddRow("run", $"{run.Seconds:0.0} s; restarts took {Mean(run.Restarts):0.00} s on average, {Max(run.Restarts):0.00} s at most");
        t.AddRow("epochs settled", $"{run.Store.Epochs.Settled} ({run.Store.Epochs.First}…{run.Store.Epochs.Last}), once each: {YesNo(run.Store.Epochs.SettledOnce)}");
        t.AddRow("ledger balanced, supply constant", YesNo(LedgerHolds(run)));
        t.AddRow("workload run / reported / billed / charged", $"{Sec(leases.Sum(l => l.WorkloadMs)):0.0} / {Sec(leases.Sum(l => l.ReportedMs)):0.0} / "
            + $"{Sec(leases.Sum(l => l.BilledMs)):0.0} / {Sec(leases.Sum(l => l.ChargedMs)):0.0} s");
        t.AddRow("coordinator down (kill to answering)", $"{Sec(OutageMs(run)):0.0} s in all");
        t.AddRow("[bold]shortfall per lease, at most[/]", $"[bold]{(leases.Count == 0 ? 0 : Sec(leases.Max(l => l.ShortfallMs))):0.0} s[/] (target: kills × heartbeat = {Sec(allowedMs):0.0} s)");
        t.AddRow("[bold]beyond the host's unheard time, at most[/]", $"[bold]{(leases.Count == 0 ? 0 : Sec(leases.Max(l => BeyondUnheardMs(run, l)))):0.0} s[/] "
            + $"(target {Sec(allowedMs):0.0} s; the coordinator's bound {Sec(BoundMs(s)):0.0} s)");
        t.AddRow("slashes / Suspect / Offline", $"{run.Store.Slashes} / {run.Store.SuspectTransitions} / {run.Store.OfflineTransitions}");
        AnsiConsole.Write(t);

        var l = new Table().RoundedBorder().AddColumns("lease", "workload s", "reported s", "billed s", "charged s", "shortfall s", "host unheard s", "beyond s", "reports");
        foreach (var x in leases)
        {
            var beyond = BeyondUnheardMs(run, x);
            l.AddRow(x.Lease, $"{Sec(x.WorkloadMs):0.0}", $"{Sec(x.ReportedMs):0.0}", $"{Sec(x.BilledMs):0.0}", $"{Sec(x.ChargedMs):0.0}", $"{Sec(x.ShortfallMs):0.0}",
                $"{Sec(UnheardMs(run, x)):0.0}", beyond > BoundMs(s) ? $"[red]{Sec(beyond):0.0}[/]" : $"{Sec(beyond):0.0}", x.UsageRows.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(l);
        foreach (var f in failures)
            AnsiConsole.MarkupLineInterpolated($"[red]broken:[/] {f}");
        AnsiConsole.MarkupLine(failures.Count == 0 ? "[green]every invariant held[/]"
            : $"[red]{failures.Count} invariants broken[/]; replay with --seed {run.Seed}; logs and store kept in {Markup.Escape(keptIn ?? "")}");
    }

    private static string YesNo(bool ok) => ok ? "[green]yes[/]" : "[red]NO[/]";

    private static double Mean(IReadOnlyList<TimeSpan> x) => x.Count == 0 ? 0 : x.Average(t => t.TotalSeconds);

    private static double Max(IReadOnlyList<TimeSpan> x) => x.Count == 0 ? 0 : x.Max(t => t.TotalSeconds);
}
