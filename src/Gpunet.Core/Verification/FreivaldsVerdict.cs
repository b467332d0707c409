namespace Gpunet.Core.Verification;

/// <summary>The checker's finding on a capacity answer.</summary>
/// <param name="Failure">Why it was refused, or <see cref="FreivaldsFailure.None"/>.</param>
/// <param name="Row">The row of C that gave it away, where one did.</param>
/// <param name="Reason">One sentence for the report and the host's operator.</param>
public sealed record FreivaldsVerdict(FreivaldsFailure Failure, int? Row, string Reason)
{
    /// <summary>The answer is the product (wrong with probability at most 2^-k).</summary>
    public bool Passed => Failure == FreivaldsFailure.None;

    internal static FreivaldsVerdict Pass(string reason) => new(FreivaldsFailure.None, null, reason);

    internal static FreivaldsVerdict Fail(FreivaldsFailure failure, int? row, string reason) => new(failure, row, reason);
}
