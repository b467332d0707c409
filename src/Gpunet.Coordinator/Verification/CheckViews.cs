using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Coordinator.Verification;

/// <summary>Stored checks as the API shows them, with each report's signed text so that anyone can verify it, and as the
/// majority rules weigh them.</summary>
internal static class CheckViews
{
    /// <summary>How GPU verdicts are stored (camelCase, like the API).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A stored check as the API shows it. A <paramref name="sealed"/> check (one still being decided) shows no
    /// report, no consequence (a split first panel's names its vote) and never says it is a honeypot: otherwise a checker could copy the verdicts of the others on its panel
    /// instead of probing, or read which of its assignments were planted and pass only the rest. A check of a planted
    /// host says so only where <paramref name="plantedShown"/> (the host is retired, or the operator asks).</summary>
    public static CheckView Of(CheckRecord c, IEnumerable<CheckReportRecord> reports, IEnumerable<CheckRefusalRecord> refusals, string network,
        bool @sealed, bool plantedShown) => new(
        c.Id, c.HostId, c.HostOperator, c.Kind, c.IssuedAt, c.Deadline, c.Checkers.Split(',', StringSplitOptions.RemoveEmptyEntries),
        (c.Honeypot || (c.Planted && plantedShown)) && !@sealed, c.Outcome, c.DecidedAt, @sealed ? "" : c.Consequence, c.Task,
        @sealed ? [] : [.. reports.OrderBy(r => r.Checker, StringComparer.Ordinal).Select(r => Of(c, r, network))],
        [.. refusals.OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => new CheckRefusalView(r.Checker, r.Reason, r.At))],
        c.EscalatedFrom, c.EscalatedTo);

    private static CheckReportView Of(CheckRecord c, CheckReportRecord r, string network)
    {
        var gpus = GpusOf(r);
        var statement = new CheckReportStatement(c.Id, c.HostId, c.Kind, r.Passed, r.RoundTripMicros, r.ThroughputMbps,
            [.. gpus.Select(g => new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs))]);
        return new CheckReportView(r.Checker, r.Passed, r.Reason, r.RoundTripMicros, r.ThroughputMbps, gpus, r.SignedAt, r.ReceivedAt,
            r.Signature, statement.ToCanonical(network, Address.Parse(r.Checker), r.SignedAt).Text, r.Correct);
    }

    /// <summary>A stored report's GPU verdicts.</summary>
    /// <summary>A capacity report's slowest GPU as a share of its claimed model's speed (expected ÷ answered time);
    /// null when it timed no GPU.</summary>
    public static double? SlowestSpeedShare(CheckReportRecord r) =>
        GpusOf(r).Where(g => g.AnsweredUs > 0 && g.ExpectedUs > 0).Select(g => (double?)((double)g.ExpectedUs / g.AnsweredUs)).Min();

    public static List<GpuVerdictView> GpusOf(CheckReportRecord r) =>
        r.Gpus.Length == 0 ? [] : JsonSerializer.Deserialize<List<GpuVerdictView>>(r.Gpus, Json) ?? [];

    /// <summary>The bands the checkers judged by: the ones the task was issued with (stored with the check), so that a
    /// change of the coordinator's options between issue and decision changes no verdict; <paramref name="options"/> for a
    /// check without a task.</summary>
    public static CapacityTimingOptions TimingOf(Protocol.CapacityTask? task, CapacityTimingOptions options) =>
        task is null ? options : options.WithTaskBands(task.CardBand, task.JitterBand);

    /// <summary>A stored check's task; null for a check without one, or one that does not parse.</summary>
    public static Protocol.CapacityTask? TaskOf(CheckRecord c)
    {
        if (string.IsNullOrEmpty(c.Task))
            return null;
        try
        {
            return Protocol.CapacityTask.Parser.ParseJson(c.Task);
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or Google.Protobuf.InvalidJsonException)
        {
            return null;
        }
    }

    /// <summary>A stored report as the majority rules weigh it. Where the task's timing is only reported (a real GPU,
    /// VerificationOptions.EnforceRealGpuTiming off), a report whose every GPU's product was correct is a pass whatever its
    /// timing said: a checker from before timing_report_only fails such a GPU for its time alone, and the coordinator, not
    /// each checker, owns that policy.</summary>
    public static MajorityReport MajorityOf(CheckReportRecord r, Protocol.CapacityTask? task, CapacityTimingOptions timing)
    {
        var gpus = GpusOf(r);
        var passed = r.Passed || (task is { TimingReportOnly: true } && gpus.Count > 0 && gpus.All(g => g.ProductCorrect));
        return new MajorityReport(Address.Parse(r.Checker), passed ? MajorityVote.Pass : MajorityVote.Fail,
            new Dictionary<string, double> { ["rttMs"] = r.RoundTripMicros / 1000.0 },
            gpus.Count == 0 ? null : [.. gpus.Select(g => CapacityGpuTiming.Of(
                new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs), r.RoundTripMicros, timing))]);
    }
}
