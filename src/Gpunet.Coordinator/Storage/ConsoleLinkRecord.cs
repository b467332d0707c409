namespace Gpunet.Coordinator.Storage;

/// <summary>A one-time console sign-in link, open until it is used or expires: in the shared store, so a link made
/// through one coordinator opens through any, once.</summary>
internal sealed class ConsoleLinkRecord
{
    /// <summary>SHA-256 of the link's code, hex: the code itself is never stored.</summary>
    public required string CodeHash { get; set; }

    /// <summary>The wallet it signs in, lowercase; empty for the network operator (the admin token made it).</summary>
    public required string Address { get; set; }

    /// <summary>The role the session gets: <c>customer</c> (a wallet) or <c>admin</c>.</summary>
    public required string Role { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
