namespace Gpunet.Core.Verification;

/// <summary>A probe request the host refuses, and why in words (the gRPC status detail the checker reads).</summary>
/// <param name="Reason">The kind of refusal; <see cref="ProbeRefusalReason.Malformed"/> maps to InvalidArgument, every
/// other to PermissionDenied.</param>
/// <param name="Detail">One sentence naming what was wrong.</param>
public sealed record ProbeRefusal(ProbeRefusalReason Reason, string Detail);
