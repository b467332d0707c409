namespace Gpunet.Core.Compliance;

/// <summary>The outcome of evaluating a host or a rental against a <see cref="CompliancePolicy"/>.</summary>
/// <param name="PolicyVersion">The version of the policy that decided.</param>
/// <param name="Reasons">Every rule that stops it, in a fixed order; empty when allowed.</param>
public sealed record ComplianceDecision(string PolicyVersion, IReadOnlyList<ComplianceReason> Reasons)
{
    /// <summary>Whether no rule stops it.</summary>
    public bool Allowed => Reasons.Count == 0;

    /// <summary>The names of the rules that stop it.</summary>
    public IReadOnlyList<string> Rules => [.. Reasons.Select(r => r.Rule)];

    /// <summary>Every reason in one line: "rule: message; rule: message".</summary>
    public string Describe() => string.Join("; ", Reasons.Select(r => $"{r.Rule}: {r.Message}"));
}
