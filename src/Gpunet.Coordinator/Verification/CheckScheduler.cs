using System.Security.Cryptography;
using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Hosts;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Every tick: decides checks past their deadline, then issues the checks that are due. Liveness every
/// <see cref="VerificationOptions.LivenessInterval"/> per connected host; quality of service every
/// <see cref="VerificationOptions.ServiceInterval"/> while it serves a lease; capacity when it registers, again after a
/// random share of <see cref="VerificationOptions.CapacityInterval"/>, and soon after a failure; and now and then a
/// honeypot.</summary>
internal sealed partial class CheckScheduler(
    HostRegistry registry, CheckBook book, CheckIssuer issuer, CheckDecider decider, CheckerRoster roster, Market market, VerificationRestore restore,
    CheckRetention retention, PlantedHosts planted, IOptions<VerificationOptions> options, TimeProvider time, ILogger<CheckScheduler> log) : BackgroundService
{
    private readonly VerificationOptions _options = options.Value;

    private DateTimeOffset _lastAbandonSweep;
    private DateTimeOffset _lastRetentionSweep;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await restore.RestoreAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Holds and marks come back as checks are decided again; the scheduler must not die for them.
            LogTickFailed(log, e);
        }

        using var timer = new LoopTimer(_options.SchedulerInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogTickFailed(log, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: open checks are decided by whoever runs next (their deadlines are stored).
        }
    }

    /// <summary>One round: deadlines, then due checks.</summary>
    internal async Task TickAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var open in book.Open.Where(c => now > c.Record.Deadline).ToList())
        {
            if (book.TryTake(open.Id, out var check))
                await decider.DecideOrReturnAsync(check, ct);
        }

        if (now - _lastAbandonSweep >= VerificationRestore.AbandonedAfter)
        {
            _lastAbandonSweep = now;
            await restore.AbandonAsync(ct);
        }

        if (now - _lastRetentionSweep >= _options.RetentionSweepInterval)
        {
            _lastRetentionSweep = now;
            await retention.SweepAsync(ct);
        }

        await planted.RefreshIfDueAsync(ct);

        // Second panels issued by decisions since the last tick; their hosts have had the announce lead since.
        var issued = book.TakeToAssign();
        if (_options.ChecksEnabled && roster.Connected.Count > 0)
            await IssueDueAsync(issued, now, ct);
        if (issued.Count == 0)
            return;
        // The agents take in their ExpectCheck before the first probes come.
        await Task.Delay(CheckIssuer.AnnounceLead, time, ct);
        foreach (var check in issued)
            issuer.Assign(check);
    }

    // Issues the checks that are due (and now and then a honeypot) into `issued`, until no checker has room.
    private async Task IssueDueAsync(List<OpenCheck> issued, DateTimeOffset now, CancellationToken ct)
    {
        var serving = await market.ServingHostsAsync();
        var full = false;
        foreach (var host in registry.Entries)
        {
            if (full)
                break;
            if (!host.Connected || host.ProbeEndpoint is null || host.State is HostState.Offline)
                continue;
            foreach (var kind in Due(host, serving.Contains(host.Id), now))
            {
                if (await issuer.IssueAsync(host, kind, ct) is not { } check)
                {
                    // No checker has room: the rest wait for the next tick; those issued are still assigned below.
                    full = true;
                    break;
                }

                issued.Add(check);
                if (kind == CheckKind.Capacity)
                    book.ScheduleCapacity(host.Id, now + _options.CapacityRetry);
                if (_options.HoneypotShare > 0 && RandomNumberGenerator.GetInt32(1_000_000) < _options.HoneypotShare * 1_000_000)
                {
                    // One of each: a capacity honeypot catches a checker that passes without computing, a liveness one
                    // (a host that never answers) one that passes without pinging.
                    if (await issuer.IssueHoneypotAsync(CheckKind.Capacity, ct) is { } decoy)
                        issued.Add(decoy);
                    if (await issuer.IssueHoneypotAsync(CheckKind.Liveness, ct) is { } silent)
                        issued.Add(silent);
                }
            }
        }
    }

    private IEnumerable<string> Due(HostEntry host, bool serving, DateTimeOffset now)
    {
        if (book.CapacityDue(host.Id, now) && !book.HasOpen(host.Id, CheckKind.Capacity))
            yield return CheckKind.Capacity;
        if (IntervalDue(host.Id, CheckKind.Liveness, _options.LivenessInterval, now))
            yield return CheckKind.Liveness;
        if (serving && IntervalDue(host.Id, CheckKind.Service, _options.ServiceInterval, now))
            yield return CheckKind.Service;
    }

    private bool IntervalDue(string hostId, string kind, TimeSpan interval, DateTimeOffset now) =>
        (book.LastIssued(hostId, kind) is not { } last || now - last >= interval) && !book.HasOpen(hostId, kind);

    [LoggerMessage(EventId = 7040, Level = LogLevel.Error, Message = "Check scheduling failed; retrying next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
