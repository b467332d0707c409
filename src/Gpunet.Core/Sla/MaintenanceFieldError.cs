namespace Gpunet.Core.Sla;

/// <summary>What is wrong with a maintenance window's declaration, named by its JSON field (<c>from</c>, <c>to</c>,
/// <c>reason</c>).</summary>
public sealed record MaintenanceFieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
