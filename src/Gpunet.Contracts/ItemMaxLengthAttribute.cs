namespace Gpunet.Contracts;

/// <summary>The longest text each item of a list of strings carries (<c>items.maxLength</c> in the OpenAPI document);
/// the coordinator's JSON writer holds answers to it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ItemMaxLengthAttribute(int length) : Attribute
{
    /// <summary>The most characters of one item.</summary>
    public int Length { get; } = length;
}
