namespace Gpunet.Contracts.Verification;

// A registered host the network's operator planted as a honeypot (state "active"), or no longer ("retired"). Only the
// operator sees these: a checker that could would pass every host but these.
public sealed record PlantedHostView(
    string HostId,
    string State,
    DateTimeOffset PlantedAt,
    string PlantedBy,
    DateTimeOffset? RetiredAt,
    string? RetiredBy);
