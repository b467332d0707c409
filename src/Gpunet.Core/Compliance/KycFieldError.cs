namespace Gpunet.Core.Compliance;

/// <summary>One thing wrong with a KYC/KYB submission.</summary>
/// <param name="Field">The JSON path of the field, e.g. <c>legalName</c> or <c>beneficialOwners[1].sharePercent</c>.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record KycFieldError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
