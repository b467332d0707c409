namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>What the coordinator answered within a step broke a rule (a duplicate report accepted, a batch acknowledged
/// for the wrong lines): the run stops there and names the seed and step.</summary>
internal sealed class ChaosViolation(string message) : Exception(message);
