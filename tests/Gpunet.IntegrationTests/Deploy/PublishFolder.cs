namespace Gpunet.IntegrationTests.Deploy;

/// <summary>The build context of the images' <c>prebuilt</c> stage, as CI makes it: the <c>gpunet</c> program this test
/// run was built with, for Linux x64 only (the native libraries of other platforms stay out of the image).</summary>
internal static class PublishFolder
{
    /// <summary>The repository this test run was built from (where Gpunet.slnx is).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gpunet.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Gpunet.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>Copies the CLI's build output (same configuration as the tests: bin/CONFIG/net10.0) into a new folder.</summary>
    public static string Stage(string repository)
    {
        // This assembly runs from tests/Gpunet.IntegrationTests/bin/CONFIG/TFM/.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory);
        var source = Path.Combine(repository, "src", "Gpunet.Cli", "bin", tfm.Parent!.Name, tfm.Name);
        if (!File.Exists(Path.Combine(source, "gpunet.dll")))
            throw new InvalidOperationException($"no gpunet.dll in {source}: build src/Gpunet.Cli first");
        var target = Directory.CreateTempSubdirectory("gpunet-image-").FullName;
        Copy(new DirectoryInfo(source), target, top: true);
        return target;
    }

    private static void Copy(DirectoryInfo from, string to, bool top)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.EnumerateFiles())
            file.CopyTo(Path.Combine(to, file.Name));
        foreach (var dir in from.EnumerateDirectories())
        {
            // runtimes/RID/native: only linux-x64's are loaded in the image.
            if (!top && from.Name == "runtimes" && dir.Name != "linux-x64")
                continue;
            Copy(dir, Path.Combine(to, dir.Name), top: false);
        }
    }
}
