using Gpunet.Agent.Workloads;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The copy of the host's /etc that sandboxes bind: the listed entries as a workload may read them, and again
/// when the host's change.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SandboxEtcTests
{
    private readonly string _host = Directory.CreateTempSubdirectory("gpunet-etc-host-").FullName;
    private readonly string _copies = Path.Combine(Directory.CreateTempSubdirectory("gpunet-etc-copies-").FullName, "sandbox-etc");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Acquire_ListedEntries_AreCopiedAsAWorkloadMayReadThem()
    {
        Write("passwd", "root:x:0:0::/root:/bin/sh\n");
        Write("shadow", "root:secret\n"); // not listed
        Directory.CreateDirectory(Path.Combine(_host, "ssl", "certs"));
        Directory.CreateDirectory(Path.Combine(_host, "ssl", "private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write("ssl/certs/ca.pem", "CERT");
        Write("ssl/private/host.key", "KEY");
        Write("ssl/cert.cnf", "conf", UnixFileMode.UserRead | UnixFileMode.UserWrite); // the owner's alone
        File.CreateSymbolicLink(Path.Combine(_host, "ssl", "certs", "abcd.0"), "ca.pem");
        Write("real-resolv.conf", "nameserver 10.0.0.1\n");
        File.CreateSymbolicLink(Path.Combine(_host, "resolv.conf"), "real-resolv.conf");

        var etc = new SandboxEtc(_host, _copies, ["passwd", "ssl", "resolv.conf", "hosts"], _clock).Acquire().Folder;

        Assert.Equal(["passwd", "resolv.conf", "ssl"], Directory.EnumerateFileSystemEntries(etc).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("root:x:0:0::/root:/bin/sh\n", File.ReadAllText(Path.Combine(etc, "passwd")));
        // A listed link is followed, as a bind would; a link inside a listed folder stays a link.
        Assert.Null(new FileInfo(Path.Combine(etc, "resolv.conf")).LinkTarget);
        Assert.Equal("nameserver 10.0.0.1\n", File.ReadAllText(Path.Combine(etc, "resolv.conf")));
        Assert.Equal("ca.pem", new FileInfo(Path.Combine(etc, "ssl", "certs", "abcd.0")).LinkTarget);
        Assert.Equal("CERT", File.ReadAllText(Path.Combine(etc, "ssl", "certs", "abcd.0")));
        // What only its owner may read on the host is not copied: neither the private keys nor the owner's file.
        Assert.Equal(["certs"], Directory.EnumerateFileSystemEntries(Path.Combine(etc, "ssl")).Select(Path.GetFileName));
    }

    [Fact]
    public void Acquire_AfterTheHostChangesAnEntry_IsANewCopyOnceChecked_TheOldOneKeptUntilItsLastSandboxEnds()
    {
        Write("resolv.conf", "nameserver 10.0.0.1\n");
        Directory.CreateDirectory(Path.Combine(_host, "ssl", "certs"));
        Write("ssl/certs/ca.pem", "OLD");
        var copies = new SandboxEtc(_host, _copies, ["resolv.conf", "ssl"], _clock);
        var running = copies.Acquire();

        Write("resolv.conf", "nameserver 10.0.0.2\n");
        Write("ssl/certs/ca.pem", "NEW CERTIFICATE");
        _clock.Advance(SandboxEtc.CheckEvery - TimeSpan.FromSeconds(1));
        using (var early = copies.Acquire())
            Assert.Equal(running.Folder, early.Folder); // not checked yet
        _clock.Advance(TimeSpan.FromSeconds(1));
        var next = copies.Acquire();

        Assert.NotEqual(running.Folder, next.Folder);
        Assert.Equal("nameserver 10.0.0.2\n", File.ReadAllText(Path.Combine(next.Folder, "resolv.conf")));
        Assert.Equal("NEW CERTIFICATE", File.ReadAllText(Path.Combine(next.Folder, "ssl", "certs", "ca.pem")));
        Assert.Equal("nameserver 10.0.0.1\n", File.ReadAllText(Path.Combine(running.Folder, "resolv.conf"))); // still in use
        running.Dispose();
        Assert.False(Directory.Exists(running.Folder)); // its last sandbox ended
        next.Dispose();
        Assert.True(Directory.Exists(next.Folder)); // the current copy stays
        _clock.Advance(SandboxEtc.CheckEvery);
        using var later = copies.Acquire();
        Assert.Equal(next.Folder, later.Folder); // nothing changed since
    }

    [Fact]
    public void Acquire_ACopyNoSandboxUses_IsRemovedWhenANewerOneReplacesIt()
    {
        Write("hosts", "127.0.0.1 localhost\n");
        var copies = new SandboxEtc(_host, _copies, ["hosts"], _clock);
        string first;
        using (var use = copies.Acquire())
            first = use.Folder;

        Write("hosts", "127.0.0.1 localhost gpunet\n");
        _clock.Advance(SandboxEtc.CheckEvery);
        using var second = copies.Acquire();

        Assert.False(Directory.Exists(first));
        Assert.Equal(["etc.2"], Directory.EnumerateDirectories(_copies).Select(Path.GetFileName));
    }

    [Fact]
    public void New_CopiesOfAnEarlierRun_AreRemoved()
    {
        Write("hosts", "127.0.0.1 localhost\n");
        var earlier = new SandboxEtc(_host, _copies, ["hosts"], _clock).Acquire().Folder;

        var again = new SandboxEtc(_host, _copies, ["hosts"], _clock);

        Assert.False(Directory.Exists(earlier));
        Assert.True(Directory.Exists(_copies)); // the folder itself is kept
        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(again.Acquire().Folder, "hosts")));
    }

    [Fact]
    public void Acquire_CopyRemovedFromUnderIt_IsMadeAgain()
    {
        Write("hosts", "127.0.0.1 localhost\n");
        var copies = new SandboxEtc(_host, _copies, ["hosts"], _clock);
        Directory.Delete(copies.Acquire().Folder, recursive: true); // the folder of the agent it was in, removed

        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(copies.Acquire().Folder, "hosts")));
    }

    private void Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        var path = Path.Combine(_host, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
    }
}
