namespace Gpunet.IntegrationTests.Compliance;

/// <summary>A person on the shipped sample sanctions list (<c>data/sanctions/sdn-sample.csv</c>, entry 90001).</summary>
internal static class SampleListed
{
    public const string Name = "Dmitri Aleksandrovich Volkov";
    public const string Country = "RU";
    public const string DateOfBirth = "1971-03-14";
}
