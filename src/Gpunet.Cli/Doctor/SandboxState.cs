namespace Gpunet.Cli.Doctor;

/// <summary>Whether the process runtime's sandbox (bubblewrap) runs here, and how well it keeps leases apart.</summary>
/// <param name="Unavailable">Why process leases would be refused; null when the sandbox works.</param>
/// <param name="UidPerLease">Each lease runs as a uid of its own (the agent is root), not as the agent's user.</param>
/// <param name="EgressGap">Why leases would not be kept from this host and local networks (nftables); null when they
/// would be, or when the question does not arise.</param>
internal sealed record SandboxState(string? Unavailable, bool UidPerLease, string? EgressGap);
