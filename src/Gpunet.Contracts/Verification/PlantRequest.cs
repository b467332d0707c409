using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// The operator plants a registered host as a honeypot: one whose agent runs with --honeypot.
public sealed record PlantRequest(
    [property: Required, RegularExpression(ApiPatterns.HostId)] string? HostId);
