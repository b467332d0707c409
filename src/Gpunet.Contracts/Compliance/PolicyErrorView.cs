namespace Gpunet.Contracts.Compliance;

// One problem in a policy document, at its line.
public sealed record PolicyErrorView(int Line, string Field, string Message);
