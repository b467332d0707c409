namespace Gpunet.Core.Compliance;

/// <summary>One rule that stops something, with a sentence a person can read.</summary>
/// <param name="Rule">The stable rule name, one of <see cref="ComplianceRules"/>.</param>
/// <param name="Message">What is wrong, naming the inputs that broke the rule.</param>
public sealed record ComplianceReason(string Rule, string Message);
