namespace Gpunet.Contracts.Compliance;

/// <summary>One problem in a policy document, at its line.</summary>
public sealed record PolicyErrorView(int Line, string Field, string Message);
