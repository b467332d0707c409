namespace Gpunet.Coordinator.Storage;

/// <summary>One element of the network's token-protection key ring (ASP.NET Data Protection), shared by every
/// coordinator so a bearer token issued by one is accepted by all.</summary>
/// <remarks>The XML holds the key's secret in the clear, as the framework's file repository does on disk: whoever
/// reads this table can forge any bearer token. It is never logged.</remarks>
internal sealed class DataProtectionKeyRecord
{
    public long Id { get; set; }

    /// <summary>The framework's name for the element (<c>key-{id}</c>).</summary>
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
