namespace Gpunet.Core.Compliance;

/// <summary>One thing wrong with a policy file.</summary>
/// <param name="Line">The 1-based line in the YAML text.</param>
/// <param name="Field">The key it concerns, e.g. <c>controlled_gpu_classes</c>; empty for syntax errors.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyError(int Line, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Field.Length == 0 ? $"line {Line}: {Message}" : $"line {Line}: {Field}: {Message}";
}
