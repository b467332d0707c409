using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Decides a check from its signed reports (N+1 of 2N+1 agreeing; a honeypot's answer is known), sends a split
/// capacity vote to a second panel instead (<see cref="PanelRules"/>) and decides it over both panels' reports, marks the
/// dissenting checkers that cannot be honestly wrong incorrect (<see cref="DissentRules"/>), has
/// <see cref="HostConsequences"/> apply what follows for the host, and stores it all in one write.</summary>
internal sealed partial class CheckDecider(
    IDbContextFactory<GpunetDb> store, CheckerStandings standings, HostConsequences consequences, Honeypot honeypot, CheckIssuer issuer,
    CheckBook book, IOptions<VerificationOptions> options, TimeProvider time, ILogger<CheckDecider> log)
{
    // The bands of a check whose stored task carries none (a liveness or service check).
    private readonly CapacityTimingOptions _timing = options.Value.TimingOptions();

    /// <summary>Raised when a decision is stored, with the check's kind and outcome (for metrics).</summary>
    public event Action<string, string>? Decided;

    /// <summary>Decides a check taken from the book. A decision that cannot be stored (or was cut short) puts the check
    /// back in the book, decided again at the scheduler's next tick once past its deadline; one another coordinator of the
    /// store decided meanwhile (the row's version moved on) is not this one's to keep. The caller goes on either way: a
    /// checker's report stays taken, and the scheduler's other overdue checks are decided.</summary>
    public async Task DecideOrReturnAsync(OpenCheck check, CancellationToken ct)
    {
        try
        {
            await DecideAsync(check, ct);
        }
        catch (DbUpdateConcurrencyException e)
        {
            LogDecisionFailed(log, e, check.Id, "another coordinator decided it");
        }
#pragma warning disable CA1031 // whatever failed, the check is kept for the next try
        catch (Exception e)
#pragma warning restore CA1031
        {
            book.Add(check);
            LogDecisionFailed(log, e, check.Id, "decided again at the scheduler's next tick past its deadline");
        }
    }

    public async Task DecideAsync(OpenCheck check, CancellationToken ct)
    {
        if (check.Record.Honeypot)
            honeypot.Forget(check.Id);
        // A second panel's check is decided over the first panel's reports too.
        var first = check.First;
        var reports = first is null ? check.Reports() : [.. first.Reports(), .. check.Reports()];
        var timing = CheckViews.TimingOf(check.Task, _timing);
        var majorityReports = reports.Select(r => CheckViews.MajorityOf(r, check.Task, timing)).ToList();
        var consequence = new List<string>();
        SlashEventRecord? slash = null;
        OpenCheck? second = null;
        string outcome;
        var now = StoreTime.Now(time);
        var heldBack = standings.HeldBack(check.Record.Kind, check.Checkers, now);
        // A planted host's answer is known as a decoy's is; it fails as any host would, consequences and all.
        var known = check.Record.Honeypot || check.Record.Planted;
        var split = !known && first is null && PanelRules.Escalates(check.Record.Kind, check.Checkers, majorityReports, heldBack);
        if (!split && !known && first is null && heldBack.Count > 0 && PanelRules.Escalates(check.Record.Kind, check.Checkers, majorityReports))
            consequence.Add($"split vote, its only fails from {string.Join(", ", heldBack.Select(a => a.Value).Order(StringComparer.Ordinal))}, held back for failing hosts of many operators that the others passed: this panel decides");
        if (check.Record.Honeypot)
        {
            outcome = CheckOutcomes.Failed;
            consequence.Add(MarkHoneypot(reports, majorityReports));
        }
        else if (check.Record.Planted)
        {
            outcome = CheckOutcomes.Failed;
            MarkPlanted(reports, majorityReports, consequence);
            if (check.Host is { } host)
                slash = await consequences.ApplyAsync(check, host, outcome, reports, consequence, ct);
        }
        else if (split && issuer.Escalate(check) is { } escalation)
        {
            // Not decided here: no mark, no consequence for the host until both panels have reported.
            second = escalation;
            outcome = CheckOutcomes.Escalated;
            check.Record.EscalatedTo = second.Id;
            consequence.Add(string.Create(CultureInfo.InvariantCulture,
                $"split vote ({majorityReports.Count(r => r.Vote == MajorityVote.Pass)} passed, {majorityReports.Count(r => r.Vote == MajorityVote.Fail)} failed of {check.Assigned.Count}): escalated to {second.Id}, a second panel of {second.Assigned.Count} checkers; the reports of both panels decide there"));
        }
        else
        {
            if (split)
                consequence.Add("split vote, and no second panel could be formed (too few other checkers free, or the host gone): this panel decides");
            else if (first is not null)
                consequence.Add(string.Create(CultureInfo.InvariantCulture,
                    $"second panel of {first.Id}: decided over both panels' {first.Assigned.Count + check.Assigned.Count} checkers"));
            var result = first is null ? MajorityRules.Decide(check.Checkers, majorityReports)
                : PanelRules.DecideEscalated(first.Checkers, check.Checkers, majorityReports);
            outcome = Judge(check, result, reports, majorityReports, timing, consequence, now);
            if (check.Host is { } host)
                slash = await consequences.ApplyAsync(check, host, outcome, reports, consequence, ct);
        }

        check.Record.Outcome = outcome;
        check.Record.DecidedAt = now;
        foreach (var r in reports.Where(r => r.Correct == false))
            standings.Incorrect(r.Checker, check.Record.DecidedAt.Value);
        check.Record.Consequence = string.Join("; ", consequence);
        try
        {
            await StoreAsync(check, reports, slash, second, ct);
        }
        catch when (second is not null)
        {
            // Neither is stored: decided again later, escalated whole (a second panel of its own) or by its own panel.
            check.Record.EscalatedTo = null;
            throw;
        }

        if (second is not null)
        {
            issuer.Escalated(second);
            book.ToAssign(second);
        }
        LogDecided(log, check.Id, check.Record.Kind, check.Record.HostId, outcome, check.Record.Consequence);
        Decided?.Invoke(check.Record.Kind, outcome);
    }

    // The outcome of a decided (or undecided) majority, with every report's standing: the majority's side is correct; a
    // dissent is marked only where it cannot be honest disagreement, else it is neither right nor wrong (null: not paid,
    // not marked), like a missing report.
    private string Judge(OpenCheck check, MajorityResult result, List<CheckReportRecord> reports, List<MajorityReport> majorityReports,
        CapacityTimingOptions timing, List<string> consequence, DateTimeOffset now)
    {
        if (result.Outcome == MajorityOutcome.Undecided)
        {
            consequence.Add(string.Create(CultureInfo.InvariantCulture,
                $"undecided: {reports.Count} of {check.Assigned.Count + (check.First?.Assigned.Count ?? 0)} reports, no majority; checked again"));
            return CheckOutcomes.Undecided;
        }

        // A passed check's reports count towards each checker's fail dissents (FailDissentPolicy) before the minority is
        // judged, so that the fail that makes it K operators is itself marked.
        // A capacity fail the passers' own timings back (TimingFailBacking) is neither a fail dissent nor marked.
        var backed = TimingFailBacking.Backed(check.Record.Kind, result, majorityReports, timing);
        var failDissents = FailDissentHistory.CountDecided(check.Record.Kind, result, Address.Parse(check.Record.HostOperator), now,
            c => standings.Dissents(c.Value), overBothPanels: check.First is not null, backed: backed.Keys.ToHashSet());
        var dissents = DissentRules.Judge(check.Record.Kind, result, majorityReports, timing, failDissents)
            .ToDictionary(v => v.Checker.Value, StringComparer.Ordinal);
        foreach (var r in reports)
            r.Correct = dissents.TryGetValue(r.Checker, out var d) ? (d.Marked ? false : null) : true;
        foreach (var d in dissents.Values)
            consequence.Add($"{d.Checker.Value} in the minority: {d.Reason}");
        return result.Outcome == MajorityOutcome.Passed ? CheckOutcomes.Passed : CheckOutcomes.Failed;
    }

    // The truth is known: the host is bad. Whoever passed it did not look, and is marked (DissentRules.Honeypot); the
    // rest are right. The checkers marked.
    private static List<string> MarkPassers(List<CheckReportRecord> reports, List<MajorityReport> majorityReports)
    {
        var lazy = DissentRules.Honeypot(majorityReports).Select(v => v.Checker.Value).ToList();
        foreach (var r in reports)
            r.Correct = !lazy.Contains(r.Checker, StringComparer.Ordinal);
        return lazy;
    }

    private static string MarkHoneypot(List<CheckReportRecord> reports, List<MajorityReport> majorityReports) =>
        MarkPassers(reports, majorityReports) is { Count: > 0 } lazy
            ? $"honeypot: {string.Join(", ", lazy)} passed a planted known-bad host and are marked incorrect"
            : "honeypot: every report failed the planted host";

    // A planted host's check: as a honeypot's, in words that do not say it was planted (the check is shown as a
    // honeypot only once the host is retired).
    private static void MarkPlanted(List<CheckReportRecord> reports, List<MajorityReport> majorityReports, List<string> consequence) =>
        consequence.AddRange(MarkPassers(reports, majorityReports).Select(a => $"{a} passed a host that fails: marked incorrect"));

    // The decision, with the second panel it escalates to when it does: one write, all or nothing.
    private async Task StoreAsync(OpenCheck check, List<CheckReportRecord> reports, SlashEventRecord? slash, OpenCheck? second, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        if (second is not null)
            db.Checks.Add(second.Record);
        var stored = db.Checks.Attach(check.Record);
        stored.State = EntityState.Modified;
        // Decided once: a second coordinator's (or a retried) decision of the same row finds the version moved on.
        var version = check.Record.Version;
        stored.Property(x => x.Version).CurrentValue = version + 1;
        foreach (var r in reports)
            db.CheckReports.Attach(r).Property(x => x.Correct).IsModified = true;
        // The first panel's reports are judged only now, so its check counts as decided now too: an epoch pays and marks
        // reports by their check's decision time, and one settled between the two panels saw them undecided.
        var first = check.First?.Record;
        var escalatedAt = first?.DecidedAt;
        if (first is not null)
        {
            first.DecidedAt = check.Record.DecidedAt;
            db.Checks.Attach(first).Property(x => x.DecidedAt).IsModified = true;
        }

        if (slash is not null)
            db.SlashEvents.Add(slash);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            check.Record.Version = version;
            if (first is not null)
                first.DecidedAt = escalatedAt;
            throw;
        }
    }

    [LoggerMessage(EventId = 7021, Level = LogLevel.Error, Message = "Deciding check {CheckId} failed: {Then}")]
    private static partial void LogDecisionFailed(ILogger logger, Exception exception, string checkId, string then);

    [LoggerMessage(EventId = 7030, Level = LogLevel.Information, Message = "Check {CheckId} ({Kind}) of host {HostId}: {Outcome}. {Consequence}")]
    private static partial void LogDecided(ILogger logger, string checkId, string kind, string hostId, string outcome, string consequence);
}
