namespace Gpunet.Contracts;

/// <summary>Says that a string property holds one of an enum's member names (a view keeps the stored text; the
/// OpenAPI document lists the names as the property's <c>enum</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EnumNamesAttribute(Type enumType) : Attribute
{
    /// <summary>The enum whose member names the property holds.</summary>
    public Type EnumType { get; } = enumType;
}
