namespace Gpunet.IntegrationTests.Deploy;

/// <summary>deploy/install-agent.sh, installing into a scratch root (<c>--root</c>: no user, no systemctl).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a bash script for Linux hosts
public sealed class InstallAgentTests
{
    private static readonly string Script = Path.Combine(PublishFolder.RepositoryRoot(), "deploy", "install-agent.sh");

    // What the script copies, not what it runs: a publish folder's two entry points stand in for the whole of it.
    private static readonly Lazy<string> Publish = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("gpunet-publish-").FullName;
        File.WriteAllText(Path.Combine(dir, "gpunet.dll"), "");
        File.WriteAllText(Path.Combine(dir, "gpunet"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(dir, "gpunet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    });

    private static string Program() => Publish.Value;

    private static Task<DockerCli.Result> InstallAsync(params string[] args) => DockerCli.RunAsync("bash", [Script, .. args], seconds: 120);

    [Fact]
    public async Task Install_IntoARoot_WritesUnitSettingsAndKey_AndAgainChangesOnlyWhatChanged()
    {
        var root = Directory.CreateTempSubdirectory("gpunet-root-").FullName;
        var key = Path.Combine(root, "..", Path.GetFileName(root) + ".key");
        await File.WriteAllTextAsync(key, "0x" + new string('1', 64));
        try
        {
            var first = await InstallAsync("--from", Program(), "--coordinator", "http://a.example:7070,http://b.example:7070",
                "--country", "de", "--key", key, "--root", root, "--", "--price", "2.5");
            Assert.True(first.ExitCode == 0, first.Output);

            var env = await File.ReadAllLinesAsync(Path.Combine(root, "etc/gpunet/agent.env"));
            Assert.Contains("GPUNET_AGENT_ARGS=--coordinator http://a.example:7070,http://b.example:7070 --country DE --key /var/lib/gpunet/agent.key --price 2.5", env);
            var unit = await File.ReadAllTextAsync(Path.Combine(root, "etc/systemd/system/gpunet-agent.service"));
            Assert.Contains("ExecStart=/usr/local/bin/gpunet agent $GPUNET_AGENT_ARGS", unit, StringComparison.Ordinal);
            Assert.Contains("User=gpunet", unit, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(root, "opt/gpunet/gpunet.dll")));
            Assert.Equal("/opt/gpunet/gpunet", new FileInfo(Path.Combine(root, "usr/local/bin/gpunet")).LinkTarget);
            var installedKey = Path.Combine(root, "var/lib/gpunet/agent.key");
            Assert.Equal(await File.ReadAllTextAsync(key), await File.ReadAllTextAsync(installedKey));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(installedKey));

            // Again, with another coordinator and no key: the settings change, the key installed before stays.
            var again = await InstallAsync("--from", Program(), "--coordinator", "http://c.example:7070", "--country", "DE", "--root", root);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Contains("GPUNET_AGENT_ARGS=--coordinator http://c.example:7070 --country DE --key /var/lib/gpunet/agent.key",
                await File.ReadAllLinesAsync(Path.Combine(root, "etc/gpunet/agent.env")));
            Assert.Equal(await File.ReadAllTextAsync(key), await File.ReadAllTextAsync(installedKey));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(key);
        }
    }

    [Theory]
    [InlineData("--coordinator", "ftp://a.example", "--coordinator: 'ftp://a.example' is not an http(s) URL")]
    [InlineData("--country", "Germany", "--country: two letters")]
    [InlineData("--user", "Root;rm", "--user: 'Root;rm' is not a user name")]
    public async Task Install_BadOption_RefusedNamingItAndNothingWritten(string option, string value, string error)
    {
        var root = Directory.CreateTempSubdirectory("gpunet-root-").FullName;
        try
        {
            string[] args = ["--from", Program(), "--coordinator", "http://a.example:7070", "--country", "DE", "--root", root];
            var i = Array.IndexOf(args, option);
            args = i >= 0 ? [.. args[..(i + 1)], value, .. args[(i + 2)..]] : [.. args, option, value];

            var r = await InstallAsync(args);

            Assert.Equal(2, r.ExitCode);
            Assert.Contains(error, r.Output, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Install_Help_SaysHowToCallIt()
    {
        var r = await InstallAsync("--help");

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: install-agent.sh --from DIR --coordinator URL[,URL...] --country CC", r.Output, StringComparison.Ordinal);
    }
}
