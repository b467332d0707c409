namespace Gpunet.Coordinator.Verification;

/// <summary>How a stored check stands, as the API shows it.</summary>
internal static class CheckOutcomes
{
    public const string Pending = "pending";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Undecided = "undecided";

    /// <summary>A capacity check whose first panel split: decided, with both panels' reports, by the second panel's
    /// check (<see cref="Storage.CheckRecord.EscalatedTo"/>); no consequence of its own.</summary>
    public const string Escalated = "escalated";
}
