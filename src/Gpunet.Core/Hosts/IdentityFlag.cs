namespace Gpunet.Core.Hosts;

/// <summary>An identity conflict a host is held for: its GPU claimed by another host, or its fingerprint seen from two
/// places at once.</summary>
/// <param name="Rule">The rule (<see cref="IdentityHold.GpuDoubleClaim"/> or <see cref="IdentityHold.ClonedFingerprint"/>).</param>
/// <param name="Counterpart">What it conflicts with (the other host, the other address): one flag per rule and counterpart.</param>
/// <param name="Reason">The conflict, for people.</param>
/// <param name="SeenAt">When the conflict was last seen (UTC).</param>
public sealed record IdentityFlag(string Rule, string Counterpart, string Reason, DateTimeOffset SeenAt);
