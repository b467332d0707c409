namespace Gpunet.Coordinator.Storage;

/// <summary>A key/value row about the store itself, such as its schema version.</summary>
internal sealed class MetaRecord
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
