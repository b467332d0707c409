namespace Gpunet.Simulation.Verification;

/// <summary>A live agent stream: the hardware fingerprint it registered, and the address it comes from.</summary>
internal readonly record struct FingerprintSighting(string Fingerprint, string From);
