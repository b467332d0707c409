namespace Gpunet.Core.Verification;

/// <summary>How one check of a host ended and when it was decided (UTC), as <see cref="VerifiedTime"/> reads it.</summary>
public readonly record struct DecidedCheck(DateTimeOffset At, MajorityOutcome Outcome);
