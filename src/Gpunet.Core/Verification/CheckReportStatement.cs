using System.Globalization;
using System.Text;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>What a checker signs as its verdict on one check: the check, the host, pass or fail, the measurements and
/// each GPU's result. Anyone holding a report can verify who made it and that nothing in it changed.</summary>
/// <remarks>A <see cref="CanonicalMessage"/> with purpose <see cref="Purpose"/> and nonce the check id (one report per
/// checker and check); the timestamp is when it was signed. Reasons are not signed (they are words for people); every
/// figure a decision rests on is.</remarks>
/// <param name="CheckId">The check.</param>
/// <param name="HostId">The host checked.</param>
/// <param name="Kind">One of <see cref="CheckKind.All"/>.</param>
/// <param name="Passed">The checker's verdict.</param>
/// <param name="RoundTripMicros">Median round trip to the host, microseconds (0: unreachable).</param>
/// <param name="ThroughputMbps">Measured download rate (service checks), megabits a second.</param>
/// <param name="Gpus">Capacity checks: each GPU's index, verdict, answer time, expected time and (when reported) the
/// timing limit, in index order.</param>
public sealed record CheckReportStatement(
    string CheckId, string HostId, string Kind, bool Passed, long RoundTripMicros, double ThroughputMbps,
    IReadOnlyList<CheckReportStatement.Gpu> Gpus)
{
    /// <summary>Purpose of the signed report text.</summary>
    public const string Purpose = "check-report";

    /// <summary>The longest reason a report, or one of its GPU verdicts, may give (the coordinator refuses a longer one):
    /// reasons are not signed, so a checker cuts what it quotes to this (a host's refusal can be long).</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>The canonical text signed by <paramref name="checker"/> at <paramref name="signedAt"/>.</summary>
    /// <exception cref="ArgumentException">A part that is empty or holds a line break.</exception>
    public CanonicalMessage ToCanonical(string network, Address checker, DateTimeOffset signedAt)
    {
        var c = CultureInfo.InvariantCulture;
        var gpus = new StringBuilder();
        foreach (var g in Gpus.OrderBy(g => g.Index))
        {
            if (gpus.Length > 0)
                gpus.Append(';');
            gpus.Append(g.Index.ToString(c)).Append(',').Append(g.Passed ? "pass" : "fail").Append(',')
                .Append(g.ProductCorrect ? "correct" : "wrong").Append(',')
                .Append(g.AnsweredMicros.ToString(c)).Append(',').Append(g.ExpectedMicros.ToString(c));
            // Added after v1 reports were signed: written only when reported, so a report without it reads (and
            // verifies) as it was signed.
            if (g.LimitMicros > 0)
                gpus.Append(',').Append(g.LimitMicros.ToString(c));
        }

        return CanonicalMessage.Create(Purpose, network, checker, CheckId, signedAt,
        [
            new("format", "gpunet check report v1"),
            new("check", CheckId),
            new("host", HostId),
            new("kind", Kind),
            new("verdict", Passed ? "pass" : "fail"),
            new("round_trip_us", RoundTripMicros.ToString(c)),
            new("throughput_mbps", ThroughputMbps.ToString("0.###", c)),
            new("gpus", gpus.Length == 0 ? "-" : gpus.ToString()),
        ]);
    }

    /// <summary>Why the report contradicts itself; null when it does not. A GPU passes only with its product correct and,
    /// where the timing rule is enforced and a limit is signed, its answer within that limit; and a report with GPUs
    /// passes exactly when every one of them does. A checker that signs otherwise says two things at once, and no
    /// reader could tell which one a decision rested on.</summary>
    /// <param name="timingEnforced">False where the check's task has timing reported only
    /// (<see cref="CapacityTimingVerdict.ReportedOnly"/>): a GPU then passes whatever its answer time.</param>
    public string? Contradiction(bool timingEnforced)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var g in Gpus.OrderBy(g => g.Index))
        {
            if (g.Passed && !g.ProductCorrect)
                return string.Create(c, $"GPU {g.Index}: passed with its product marked wrong");
            // Both signed truncated to a microsecond, so an answer within the limit never reads as later than it.
            if (g.Passed && timingEnforced && g.LimitMicros > 0 && g.AnsweredMicros > g.LimitMicros)
                return string.Create(c, $"GPU {g.Index}: passed with an answer at {g.AnsweredMicros} µs, after the limit it signs ({g.LimitMicros} µs)");
        }

        if (Gpus.Count == 0 || Passed == Gpus.All(g => g.Passed))
            return null;
        return Passed
            ? string.Create(c, $"verdict pass with GPU {Gpus.Where(g => !g.Passed).Min(g => g.Index)} failed")
            : "verdict fail with every GPU passed";
    }

    /// <summary>One GPU's result in a capacity check.</summary>
    /// <param name="Index">The host's GPU index.</param>
    /// <param name="Passed">Correct and in time.</param>
    /// <param name="ProductCorrect">The opened rows passed their proofs and Freivalds' check.</param>
    /// <param name="AnsweredMicros">From sending the seed to receiving the commitment.</param>
    /// <param name="ExpectedMicros">The claimed model's expected compute time.</param>
    /// <param name="LimitMicros">The latest answer the timing rule passed (<see cref="CapacityTimingVerdict.Limit"/>); 0 when
    /// the GPU was not timed, or in a report from a checker that predates the field. It tells who reads the report which
    /// round trip the allowance rested on (<see cref="CapacityGpuTiming.Of"/>).</param>
    public sealed record Gpu(int Index, bool Passed, bool ProductCorrect, long AnsweredMicros, long ExpectedMicros, long LimitMicros = 0);
}
