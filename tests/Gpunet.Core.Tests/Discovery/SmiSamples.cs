namespace Gpunet.Core.Tests.Discovery;

/// <summary>Reads the nvidia-smi samples under Discovery/Samples, without their provenance comments.</summary>
internal static class SmiSamples
{
    public static string Read(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Discovery", "Samples", fileName);
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#'));
        return string.Join('\n', lines) + "\n";
    }
}
