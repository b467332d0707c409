namespace Gpunet.Core.Sla;

/// <summary>One decided check of a host, as availability needs it.</summary>
/// <param name="Kind">liveness, service or capacity (<see cref="Verification.CheckKind"/>).</param>
/// <param name="IssuedAt">When it was issued: a liveness or service check speaks for the minute from here.</param>
/// <param name="DecidedAt">When the majority decided it: a capacity check speaks from here to the next one.</param>
/// <param name="Passed">The majority's verdict.</param>
/// <param name="SpeedShare">Capacity: the slowest GPU's measured speed as a share of its claimed model's (expected ÷
/// answered time); null otherwise or unknown.</param>
/// <param name="RoundTripMs">Service: the checkers' median round trip in milliseconds; null otherwise or unknown.</param>
public sealed record CheckFact(string Id, string Kind, DateTimeOffset IssuedAt, DateTimeOffset DecidedAt, bool Passed, double? SpeedShare, double? RoundTripMs);
