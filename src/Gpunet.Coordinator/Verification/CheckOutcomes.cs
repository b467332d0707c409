namespace Gpunet.Coordinator.Verification;

/// <summary>How a stored check stands, as the API shows it.</summary>
internal static class CheckOutcomes
{
    public const string Pending = "pending";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Undecided = "undecided";
}
