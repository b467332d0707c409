using Gpunet.Coordinator.Auth;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Takes a checker's signed report: only for an open check assigned to that checker, once, before the
/// deadline, of the right shape, with a signature that verifies. A refused report is recorded against the checker and
/// changes nothing else. A check whose every checker has reported is decided at once.</summary>
internal sealed partial class ReportIntake(
    IDbContextFactory<GpunetDb> store, CheckBook book, CheckDecider decider, ISignatureScheme signatures,
    IOptions<AccessOptions> access, IOptions<VerificationOptions> verification, TimeProvider time, ILogger<ReportIntake> log)
{
    /// <summary>How far a report's signing time may be from the coordinator's clock.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>The largest time figure a report may carry, µs: a day, far past any check's deadline.</summary>
    private const long MaxFigureMicros = 86_400_000_000;

    // The longest reason a report, or one of its GPU verdicts, may give: it is shown in the check and quoted in its consequence.
    private const int MaxReasonLength = CheckReportStatement.MaxReasonLength;

    private readonly string _network = access.Value.NetworkId;

    // The bands of a task that carries none (as the decider reads it).
    private readonly CapacityTimingOptions _timing = verification.Value.TimingOptions();

    /// <summary>Raised for each report: true when accepted, false when refused (for metrics).</summary>
    public event Action<bool>? Taken;

    public async Task<ReportAck> TakeAsync(CheckerSession from, CheckReport report, CancellationToken ct)
    {
        var checker = from.Address.Value;
        var id = report.CheckId ?? "";
        var refusal = Check(checker, report, out var check, out var record);
        if (refusal is not null)
        {
            await RefuseAsync(checker, id, refusal, ct);
            Taken?.Invoke(false);
            return new ReportAck { CheckId = id, Accepted = false, Reason = refusal };
        }

        if (!check!.TryAdd(record!))
        {
            await RefuseAsync(checker, id, "this checker already reported on this check (a replay)", ct);
            Taken?.Invoke(false);
            return new ReportAck { CheckId = id, Accepted = false, Reason = "this checker already reported on this check (a replay)" };
        }

        try
        {
            await using var db = await store.CreateDbContextAsync(ct);
            db.CheckReports.Add(record!);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            check.Remove(checker);
            throw;
        }

        check.Stored(checker);
        Taken?.Invoke(true);
        if (check.Complete && book.TryTake(check.Id, out var complete))
            await decider.DecideOrReturnAsync(complete, ct);

        return new ReportAck { CheckId = id, Accepted = true };
    }

    private string? Check(string checker, CheckReport report, out OpenCheck? check, out CheckReportRecord? record)
    {
        record = null;
        check = null;
        var id = report.CheckId ?? "";
        if (id.Length is 0 or > 64)
            return "check_id: missing or longer than 64 characters";
        if (!book.TryGet(id, out var open))
            return "no open check has this id (unknown, already decided, or past its deadline)";
        if (!open.IsAssigned(checker))
            return "this check is not assigned to this checker";
        var now = time.GetUtcNow();
        if (now > open.Record.Deadline)
            return "the report came after the check's deadline";
        var expected = open.Task?.Gpus.Select(g => g.Index).Order().ToList() ?? [];
        var sent = report.Gpus.Select(g => g.Index).Order().ToList();
        if (!expected.SequenceEqual(sent))
            return $"gpus: the report names {sent.Count} GPU(s) [{string.Join(',', sent)}]; the check has {expected.Count} [{string.Join(',', expected)}]";
        if ((report.Reason ?? "").Length > MaxReasonLength)
            return $"reason: longer than {MaxReasonLength} characters";
        if (report.Gpus.Any(g => (g.Reason ?? "").Length > MaxReasonLength))
            return $"gpus: a GPU's reason is longer than {MaxReasonLength} characters";
        if (report.RoundTripUs is < 0 or > MaxFigureMicros || report.ThroughputMbps < 0 || !double.IsFinite(report.ThroughputMbps))
            return "round_trip_us and throughput_mbps must be finite and not negative (round_trip_us at most a day)";
        // The timings are turned into durations when the check is decided: a figure past what one can hold would stop it.
        if (report.Gpus.Any(g => g.AnsweredUs is < 0 or > MaxFigureMicros || g.ExpectedUs is < 0 or > MaxFigureMicros || g.LimitUs is < 0 or > MaxFigureMicros))
            return "gpus: answered_us, expected_us and limit_us must be from 0 to a day";
        if (open.Task is { } task && SignedLimitError(task, report) is { } limit)
            return "gpus: " + limit;
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(report.SignedAtUnixSeconds, 0, 253402300799));
        if ((signedAt - now).Duration() > MaxSkew)
            return "signed_at: too far from the coordinator's clock";
        var statement = new CheckReportStatement(id, open.Record.HostId, open.Record.Kind, report.Passed, report.RoundTripUs, report.ThroughputMbps,
            [.. report.Gpus.Select(g => new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs))]);
        if (!signatures.Verify(statement.ToCanonical(_network, Address.Parse(checker), signedAt), report.Signature ?? ""))
            return "signature: does not verify as this checker's over the report";
        // Signed, so the refusal (kept against the checker) is evidence of what it said.
        if (statement.Contradiction(timingEnforced: open.Task is not { TimingReportOnly: true }) is { } contradiction)
            return "self-contradictory: " + contradiction;
        check = open;
        record = new CheckReportRecord
        {
            CheckId = id, Checker = checker, Passed = report.Passed, Reason = report.Reason ?? "", RoundTripMicros = report.RoundTripUs,
            ThroughputMbps = report.ThroughputMbps, SignedAt = signedAt, Signature = report.Signature!, ReceivedAt = StoreTime.Now(time),
            Gpus = report.Gpus.Count == 0 ? "" : JsonSerializer.Serialize(report.Gpus.Select(g => new GpuVerdictView(
                g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.Reason ?? "", g.LimitUs)).ToList(), CheckViews.Json),
        };
        return null;
    }

    // The first GPU whose signed expected time or limit the task's bands cannot give (CapacityGpuTiming.SignedLimitError):
    // the decider solves the round trip back from the limit, so a limit past them would pass any answer as in time.
    private string? SignedLimitError(CapacityTask task, CheckReport report)
    {
        var bands = _timing.WithTaskBands(task.CardBand, task.JitterBand);
        var claimed = task.Gpus.ToDictionary(g => g.Index, g => g.Model);
        return report.Gpus.Select(g => CapacityGpuTiming.SignedLimitError(
                new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs),
                CapacityTiming.ExpectedTimeOfTask(claimed[g.Index], task.TimingSize, task.TimingInnerSize, task.TimingProducts), report.RoundTripUs, bands))
            .FirstOrDefault(e => e is not null);
    }

    private async Task RefuseAsync(string checker, string checkId, string reason, CancellationToken ct)
    {
        LogRefused(log, checker, checkId, reason);
        await using var db = await store.CreateDbContextAsync(ct);
        db.CheckRefusals.Add(new CheckRefusalRecord { Checker = checker, CheckId = checkId.Length > 64 ? checkId[..64] : checkId, Reason = reason, At = StoreTime.Now(time) });
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "Report from checker {Checker} on check {CheckId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string checker, string checkId, string reason);
}
