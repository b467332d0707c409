using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

/// <summary>The shipped sample list under data/sanctions, copied next to the tests as Sanctions/Samples.</summary>
internal static class SanctionsSamples
{
    public static string Sdn => Read("sdn-sample.csv");

    public static string Alt => Read("alt-sample.csv");

    public static SanctionsList List { get; } = SdnCsvParser.Parse(Sdn, Alt);

    private static string Read(string fileName) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sanctions", "Samples", fileName));
}
