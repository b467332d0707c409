using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>The agents' reports in a chaos run (usage, duplicated and late; lines, sent twice), the lines owed at the end,
/// and the digest two runs of a seed compare.</summary>
internal sealed partial class ServiceChaos
{
    private string Relative(long ms) => string.Create(CultureInfo.InvariantCulture, $"{ms - _startMs}");

    private static string Describe(UsageAck ack) =>
        ack.Accepted ? string.Create(CultureInfo.InvariantCulture, $"billed {ack.BilledMs}") : ack.Code;

    /// <summary>A running lease's next usage report, from the end of the last to the agent's (skewed) now; sometimes one
    /// already sent goes again (duplicated, or overtaken by later ones), which must bill nothing.</summary>
    private async Task<string> UsageAsync(ChaosHost host)
    {
        var agent = host.Agent!;
        var run = Pick(host.Runs.Where(r => Unreported(host, r)));
        var name = $"{Name(host)} {Name(run.Lease.LeaseId)}#{run.Lease.Attempt}";
        await agent.HeartbeatAsync();
        var (from, to) = (run.ReportedToMs, _clock.NowMs - host.SkewMs);
        var report = agent.Report(run.Lease, from, to, run.NextUsage);
        var ack = await SendUsageAsync(agent, report);
        if (ack.Accepted && ack.BilledMs > to - from)
            throw new ChaosViolation($"{name} usage {report.Sequence} billed {ack.BilledMs} ms of a {to - from} ms period");
        run.ReportedToMs = to;
        run.NextUsage++;
        run.Sent.Add((report, ack));
        var text = $"{name} usage {report.Sequence} [{Relative(from)}, {Relative(to)}): {Describe(ack)}";
        if (_random.Next(8) == 0)
        {
            run.UnackedUsage.Add((report, ack));
            await BreakStreamAsync(host);
            return text + "; its answer lost with the stream";
        }

        if (_random.Next(3) == 0)
        {
            var (again, before) = run.Sent[_random.Next(run.Sent.Count)];
            text += $"; {again.Sequence} again: {await AgainAsync(agent, again, before, name)}";
        }

        return text;
    }

    /// <summary>Sends a report again, which must be answered as the first time: not billed twice, nor refused once taken.</summary>
    private static async Task<string> AgainAsync(FakeAgent agent, UsageReport report, UsageAck before, string name)
    {
        var twice = await agent.SendUsageAsync(report);
        if (twice.Accepted != before.Accepted || (before.Accepted && twice.BilledMs != before.BilledMs))
            throw new ChaosViolation($"{name} usage {report.Sequence} sent again was answered {Describe(twice)}, the first time {Describe(before)}");
        return Describe(twice);
    }

    /// <summary>After a registration: what the agent sent on its last stream and never heard back about goes again.</summary>
    private async Task<string> ResendAsync(ChaosHost host)
    {
        var agent = host.Agent!;
        var text = "";
        foreach (var run in host.Runs.Concat(host.Finished))
        {
            var name = $"{Name(host)} {Name(run.Lease.LeaseId)}#{run.Lease.Attempt}";
            foreach (var (report, before) in run.UnackedUsage)
                text += $"; {name} usage {report.Sequence} again: {await AgainAsync(agent, report, before, name)}";
            foreach (var (first, lines) in run.UnackedLines)
            {
                await SendBatchAsync(agent, run, first, lines, name);
                text += $"; {name} lines {first}.. again";
            }

            run.UnackedUsage.Clear();
            run.UnackedLines.Clear();
        }

        return text;
    }

    /// <summary>A report of a run the agent no longer has (stopped, moved away, ended), arriving late: if the lease has
    /// moved on to another host or attempt since, it must bill nothing.</summary>
    private async Task<string> LateUsageAsync(ChaosHost host)
    {
        var agent = host.Agent!;
        var run = Pick(host.Finished);
        var name = $"{Name(host)} late {Name(run.Lease.LeaseId)}#{run.Lease.Attempt}";
        await agent.HeartbeatAsync();
        var (from, to) = (run.ReportedToMs, Math.Min(_clock.NowMs - host.SkewMs, run.ReportedToMs + 2_000));
        if (to <= from)
            return $"{name}: nothing to report";
        var lease = await LeaseAsync(run.Lease.LeaseId);
        var movedOn = lease is null || lease.HostId != host.HostId || lease.Attempt != run.Lease.Attempt;
        var ack = await SendUsageAsync(agent, agent.Report(run.Lease, from, to, run.NextUsage));
        if (ack.Accepted && movedOn)
            throw new ChaosViolation($"{name} usage {run.NextUsage} was billed {ack.BilledMs} ms though the lease is now attempt {lease?.Attempt} on {lease?.HostId}");
        run.ReportedToMs = to;
        run.NextUsage++;
        return $"{name} usage [{Relative(from)}, {Relative(to)}): {Describe(ack)}";
    }

    /// <summary>Sends a report the first time; an accepted one must be stored once, billing what its answer says.</summary>
    private async Task<UsageAck> SendUsageAsync(FakeAgent agent, UsageReport report)
    {
        var ack = await agent.SendUsageAsync(report);
        if (ack.Accepted)
            _billed[(report.LeaseId, report.Attempt, report.Sequence)] = ack.BilledMs;
        return ack;
    }

    /// <summary>A batch of 1–3 lines of a running lease; sometimes the last batch goes again (its acknowledgement lost).
    /// Lines sent while the lease runs here, on this attempt, are owed: they must be stored at the end.</summary>
    private async Task<string> SendLinesAsync(ChaosHost host)
    {
        var agent = host.Agent!;
        var run = Pick(host.Runs);
        var (id, attempt) = (run.Lease.LeaseId, run.Lease.Attempt);
        var name = $"{Name(host)} {Name(id)}#{attempt}";
        var lease = await LeaseAsync(id);
        var owed = lease is not null && lease.HostId == host.HostId && lease.Attempt == attempt && lease.EndReason is null;
        var first = run.NextLine;
        string[] lines = [.. Enumerable.Range(0, 1 + _random.Next(3)).Select(i => string.Create(CultureInfo.InvariantCulture, $"{Name(id)}#{attempt}:{first + i}"))];
        for (var i = 0; i < lines.Length; i++)
        {
            _linesSent[(id, attempt, first + i)] = lines[i];
            if (owed)
                _linesOwed.Add((id, attempt, first + i));
        }

        await SendBatchAsync(agent, run, first, lines, name);
        run.NextLine += lines.Length;
        var text = $"{name} lines {first}..{run.NextLine - 1}{(owed ? "" : " (not owed)")}";
        var previous = run.LastBatch;
        run.LastBatch = (first, lines);
        if (_random.Next(8) == 0)
        {
            // Stored and acknowledged, but the acknowledgement is lost with the stream: the agent keeps the batch.
            run.UnackedLines.Add((first, lines));
            await BreakStreamAsync(host);
            return text + "; its acknowledgement lost with the stream";
        }

        if (_random.Next(4) == 0)
        {
            // This batch again (its acknowledgement lost), or the one before it (overtaken by this one).
            var (againFirst, againLines) = previous is { } p && _random.Next(2) == 0 ? p : run.LastBatch.Value;
            await SendBatchAsync(agent, run, againFirst, againLines, name);
            text += $"; {againFirst}.. again";
        }

        return text;
    }

    private static async Task SendBatchAsync(FakeAgent agent, ChaosRun run, long first, string[] lines, string name)
    {
        await agent.SendLinesAsync(run.Lease, first, lines);
        var ack = await agent.NextLogAckAsync();
        var last = first + lines.Length - 1;
        if (ack.LeaseId != run.Lease.LeaseId || ack.Attempt != run.Lease.Attempt || ack.LastSequence != last)
            throw new ChaosViolation($"{name} lines {first}..{last} acknowledged as {ack.LeaseId}#{ack.Attempt} up to {ack.LastSequence}");
    }

    /// <summary>At the end: every stored line is one an agent sent, with its text, once per (lease, attempt, sequence), and
    /// every owed line is stored.</summary>
    private async Task<List<string>> LinesKeptAsync()
    {
        await using var db = await _c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        var stored = await db.LeaseLogs.AsNoTracking().ToListAsync();
        var problems = new List<string>();
        foreach (var twice in stored.GroupBy(l => (l.LeaseId, l.Attempt, l.Sequence)).Where(g => g.Count() > 1))
            problems.Add($"line {Name(twice.Key.LeaseId)}#{twice.Key.Attempt}:{twice.Key.Sequence} stored {twice.Count()} times");
        foreach (var line in stored)
        {
            if (!_linesSent.TryGetValue((line.LeaseId, line.Attempt, line.Sequence), out var text) || text != line.Text)
                problems.Add($"line {Name(line.LeaseId)}#{line.Attempt}:{line.Sequence} stored as '{line.Text}', sent as '{text}'");
        }

        var keys = stored.Select(l => (l.LeaseId, l.Attempt, l.Sequence)).ToHashSet();
        foreach (var owed in _linesOwed.Where(k => !keys.Contains(k)).Order())
            problems.Add($"line {Name(owed.Lease)}#{owed.Attempt}:{owed.Sequence}, acknowledged while the lease ran there, is not stored");
        return problems;
    }

    /// <summary>What the store holds, with ids as the run names them and times relative to its start.</summary>
    private async Task<string> DigestAsync()
    {
        await using var db = await _c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        var digest = new StringBuilder();
        var leases = await db.Leases.AsNoTracking().ToDictionaryAsync(l => l.Id, StringComparer.Ordinal);
        var hosts = _hosts.Select(h => h.HostId).ToList();
        foreach (var id in _leases)
        {
            var l = leases[id];
            digest.AppendLine(CultureInfo.InvariantCulture,
                $"{Name(id)} {l.State} {l.EndReason} attempt {l.Attempt} host {hosts.IndexOf(l.HostId ?? "")} gpus {l.GpuIndices} started {(l.StartedAt is { } s ? Relative(s.ToUnixTimeMilliseconds()) : "-")}");
        }

        foreach (var u in (await db.LeaseUsage.AsNoTracking().ToListAsync()).OrderBy(u => _leases.IndexOf(u.LeaseId)).ThenBy(u => u.Attempt).ThenBy(u => u.Sequence))
            digest.AppendLine(CultureInfo.InvariantCulture, $"usage {Name(u.LeaseId)}#{u.Attempt}/{u.Sequence} [{Relative(u.FromMs)}, {Relative(u.ToMs)}) billed {u.BilledMs} settled {u.Epoch is not null}");
        foreach (var e in (await db.Epochs.AsNoTracking().ToListAsync()).OrderBy(e => e.Start))
            digest.AppendLine(CultureInfo.InvariantCulture, $"epoch {Relative(e.Start.ToUnixTimeMilliseconds())} {e.Transfers} transfers {e.Totals}");
        digest.AppendLine(CultureInfo.InvariantCulture, $"lines {await db.LeaseLogs.CountAsync()}");
        foreach (var customer in _customers)
        {
            var wallet = (await customer.Http.GetFromJsonAsync<WalletView>("/api/v1/wallet", TestCoordinator.Json))!;
            digest.AppendLine(CultureInfo.InvariantCulture, $"C{_customers.IndexOf(customer)} available {wallet.Available} held {wallet.Held}");
        }

        return digest.ToString();
    }
}
