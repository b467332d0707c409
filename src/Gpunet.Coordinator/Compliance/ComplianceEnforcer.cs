using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Re-evaluates every host and every placed lease against what compliance knows now: a serving host that is
/// no longer allowed is Paused, a lease that is no longer allowed (or whose host is held) is ended, each with the rules
/// as its reason and an audit entry. Runs after every change and every <see cref="ComplianceOptions.ComplianceSweepInterval"/>
/// (which is when KYC expiry and other coordinators' changes take effect).</summary>
/// <remarks>Held hosts that are Pending or Paused are the host monitor's (it keeps them from becoming Ready); this
/// moves serving hosts at once, so an applied policy's answer can name them. The periodic sweep is the network leader's
/// duty (<see cref="Leadership.ILeadership"/>), its writes fenced by the leader's token; a follower only refreshes what it
/// knows of compliance. A pass an officer's change triggers runs on the coordinator that took the change.</remarks>
internal sealed partial class ComplianceEnforcer(
    ComplianceService compliance,
    KycService kyc,
    AuditLog audit,
    HostRegistry registry,
    HostStore hosts,
    LeaseStore leases,
    Market market,
    IOptions<ComplianceOptions> options,
    TimeProvider time,
    ILogger<ComplianceEnforcer> log,
    Leadership.ILeadership leadership) : BackgroundService
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private Dictionary<string, string?> _residencies = new(StringComparer.Ordinal);

    /// <summary>One pass; <paramref name="trigger"/> and <paramref name="decidedBy"/> go into the audit log.</summary>
    /// <remarks>Each decision is appended to the audit log before it is carried out (written ahead): a coordinator killed
    /// in between carries it out when it runs again, and records it no second time (<see cref="RecordOnceAsync"/>).</remarks>
    public Task<EnforcementResult> EnforceAsync(string trigger, string decidedBy, CancellationToken ct) => EnforceAsync(trigger, decidedBy, null, ct);

    /// <summary>One pass whose writes hold only while <paramref name="fence"/> holds the leader lease (the sweep's).</summary>
    private async Task<EnforcementResult> EnforceAsync(string trigger, string decidedBy, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            var result = await PassAsync(trigger, decidedBy, StoreTime.Now(time), fence, ct);
            if (result.HostsPaused.Count + result.LeasesEnded.Count > 0)
                LogEnforced(log, trigger, result.HostsPaused.Count, result.LeasesEnded.Count);
            return result;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<EnforcementResult> PassAsync(string trigger, string decidedBy, DateTimeOffset now, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        var paused = new List<EnforcedItem>();
        var transitions = new List<HostTransition>();
        var priors = new List<(HostEntry Entry, string Reason, DateTimeOffset Since)>();
        var decisions = new List<AuditDraft>();
        foreach (var entry in registry.Entries)
        {
            if (compliance.HostHold(entry) is not { } hold)
                continue;
            var (state, reason, since) = entry.Snapshot();
            if (state is not (HostState.Ready or HostState.Suspect) || !entry.TryTransition(state, HostState.Paused, hold, now))
                continue;
            priors.Add((entry, reason, since));
            transitions.Add(new HostTransition(entry.Id, state, HostState.Paused, hold, now));
            paused.Add(new EnforcedItem(entry.Id, hold));
            decisions.Add(new(entry.Id, "policy-enforcement", new { trigger, from = state.ToString() }, $"paused: {hold}", decidedBy));
        }

        await RecordOnceAsync(decisions, ct);
        try
        {
            await hosts.ApplyTransitionsAsync(transitions, fence, ct);
        }
        catch (Leadership.LeadershipLostException)
        {
            // The new leader's sweep decides them again; the audit entries written ahead are not written twice.
            for (var i = 0; i < transitions.Count; i++)
                priors[i].Entry.TryTransition(transitions[i].To, transitions[i].From, priors[i].Reason, priors[i].Since);

            throw;
        }

        var ended = new List<EnforcedItem>();
        // An order's residency never changes: read once per order, kept while it has open leases.
        var residencies = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var lease in await leases.OpenLeasesAsync(ct))
        {
            if (lease.State is not (nameof(LeaseState.Starting) or nameof(LeaseState.Running)) || lease.HostId is null
                || !registry.TryGet(lease.HostId, out var host))
                continue;
            var why = compliance.HostHold(host) is { } hold
                ? $"its host {host.Id} is {hold}"
                : await RentalRefusalAsync(lease, host, residencies, ct);
            if (why is null)
                continue;
            await RecordOnceAsync([new(lease.Id, "policy-enforcement", new { trigger, customer = lease.Owner, host = lease.HostId, model = lease.GpuModel },
                $"ended: {why}", decidedBy)], ct);
            var (_, alreadyEnded) = await market.EndForComplianceAsync(lease.Id, why, fence);
            if (alreadyEnded is null)
                ended.Add(new EnforcedItem(lease.Id, why));
        }

        _residencies = residencies; // the orders with open leases now: the rest are forgotten
        return new EnforcementResult(paused, ended);
    }

    /// <summary>Appends the decisions to the audit log, each unless it is already its subject's latest entry (a pass
    /// killed after writing it ahead and before carrying it out).</summary>
    private async Task RecordOnceAsync(List<AuditDraft> decisions, CancellationToken ct)
    {
        var fresh = new List<AuditDraft>(decisions.Count);
        foreach (var d in decisions)
        {
            var latest = (await audit.ListAsync(d.Subject, 1, ct)).FirstOrDefault();
            if (latest is null || latest.Rule != d.Rule || latest.Outcome != d.Outcome)
                fresh.Add(d);
        }

        if (fresh.Count > 0)
            await compliance.RecordAsync(fresh, CancellationToken.None);
    }

    private async Task<string?> RentalRefusalAsync(LeaseRecord lease, HostEntry host, Dictionary<string, string?> residencies, CancellationToken ct)
    {
        if (!residencies.TryGetValue(lease.OrderId, out var residency) && !_residencies.TryGetValue(lease.OrderId, out residency))
        {
            var order = await leases.OrderAsync(lease.OrderId, ct);
            residency = order is null ? null : Marketplace.StoredOrder.Read(order).Residency;
        }

        residencies[lease.OrderId] = residency;
        // The order gate that placed it, stake apart (a lease is not ended for its host's stake).
        var gate = compliance.OrderGateFor(lease.Owner, residency);
        return gate.Check(lease.GpuModel, host.Record.Country, host.Record.Region ?? "",
            !gate.NeedsConfirmedLocation || compliance.LocationConfirmed(host.Id));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new Concurrency.LoopTimer(options.Value.ComplianceSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await compliance.RefreshIfChangedAsync(stoppingToken);
                    if (leadership.Fence is not { } fence)
                        continue;
                    await kyc.RescreenAsync("compliance-sweep", stoppingToken);
                    await EnforceAsync("sweep", "compliance-sweep", fence, stoppingToken);
                }
                catch (Leadership.LeadershipLostException e)
                {
                    LogNotLeader(log, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(log, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Compliance ({Trigger}): {Paused} host(s) paused, {Ended} lease(s) ended")]
    private static partial void LogEnforced(ILogger logger, string trigger, int paused, int ended);

    [LoggerMessage(EventId = 5029, Level = LogLevel.Warning, Message = "Compliance sweep cut short: {Reason}")]
    private static partial void LogNotLeader(ILogger logger, string reason);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Error, Message = "Compliance sweep failed; retrying at the next one")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
