using Gpunet.Core.Sanctions;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The small sample list the project ships (<c>data/sanctions/</c>, embedded): in force until an officer
/// imports a full one with <c>gpunet compliance import-sdn</c>, so that tests and the devnet screen for real.</summary>
internal static class SampleSanctionsList
{
    public static SanctionsList Load() => SdnCsvParser.Parse(Read("sdn-sample.csv"), Read("alt-sample.csv"));

    private static string Read(string name)
    {
        using var stream = typeof(SampleSanctionsList).Assembly.GetManifestResourceStream("Gpunet.Sanctions." + name)
            ?? throw new InvalidOperationException($"the embedded sanctions sample {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
