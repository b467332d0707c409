using Gpunet.Core;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;

namespace Gpunet.Checker.Probing;

/// <summary>Signs a report: the same figures as its proto fields, as <see cref="CheckReportStatement"/>'s canonical text.</summary>
internal static class CheckReportSigner
{
    /// <summary>The statement a report's signature covers, for the assignment it answers.</summary>
    public static CheckReportStatement Statement(CheckReport report, Assignment assignment) =>
        new(report.CheckId, assignment.HostId, assignment.Kind, report.Passed, report.RoundTripUs, report.ThroughputMbps,
            [.. report.Gpus.Select(g => new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs))]);

    /// <summary>Sets <paramref name="report"/>'s signing time and signature and returns it.</summary>
    public static CheckReport Sign(CheckReport report, Assignment assignment, string network, Wallet wallet, DateTimeOffset now)
    {
        // What the coordinator takes: a reason quoting a host's long refusal would have the whole report refused.
        report.Reason = Cut(report.Reason);
        foreach (var gpu in report.Gpus)
            gpu.Reason = Cut(gpu.Reason);
        var text = Statement(report, assignment).ToCanonical(network, wallet.Address, now);
        report.SignedAtUnixSeconds = text.Timestamp.ToUnixTimeSeconds();
        report.Signature = wallet.Sign(text);
        return report;
    }

    private static string Cut(string reason) => ShortText.Cut(reason, CheckReportStatement.MaxReasonLength);
}
