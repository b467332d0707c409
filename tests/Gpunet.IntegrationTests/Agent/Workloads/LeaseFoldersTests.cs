using Gpunet.Agent.Workloads;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>How long a host keeps a tenant's files after the lease: the retention time, on the injected clock.</summary>
public sealed class LeaseFoldersTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private static string Folder(string root, string leaseId)
    {
        var folder = Path.Combine(root, "leases", leaseId);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "output.log"), "a line\n");
        return folder;
    }

    [Fact]
    public void Ended_FolderIsKeptForTheRetentionTime_ThenRemoved()
    {
        var root = ProcessProbe.Root();
        var time = new FakeTimeProvider();
        using var folders = new LeaseFolders(root, Retention, time, NullLogger.Instance);
        var folder = Folder(root, "lease-a");

        folders.Ended("lease-a");
        time.Advance(Retention - TimeSpan.FromMinutes(1));
        Assert.True(Directory.Exists(folder));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Started_AgainBeforeItsRemoval_KeepsTheFolderUntilItEndsAgain()
    {
        var root = ProcessProbe.Root();
        var time = new FakeTimeProvider();
        using var folders = new LeaseFolders(root, Retention, time, NullLogger.Instance);
        var folder = Folder(root, "lease-back");

        folders.Ended("lease-back");
        time.Advance(TimeSpan.FromHours(23));
        folders.Started("lease-back");
        time.Advance(TimeSpan.FromHours(2));
        Assert.True(Directory.Exists(folder));

        folders.Ended("lease-back");
        time.Advance(Retention);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void RemoveLeftovers_OldFolderGoesAtOnce_YoungerOneWhenItsRetentionEnds()
    {
        var root = ProcessProbe.Root();
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var old = Folder(root, "lease-old");
        var young = Folder(root, "lease-young");
        foreach (var (folder, age) in new[] { (old, TimeSpan.FromDays(3)), (young, TimeSpan.FromHours(20)) })
        {
            File.SetLastWriteTimeUtc(Path.Combine(folder, "output.log"), (time.GetUtcNow() - age).UtcDateTime);
            Directory.SetLastWriteTimeUtc(folder, (time.GetUtcNow() - age).UtcDateTime);
        }

        using var folders = new LeaseFolders(root, Retention, time, NullLogger.Instance);
        folders.RemoveLeftovers();

        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(young));
        time.Advance(TimeSpan.FromHours(4));
        Assert.False(Directory.Exists(young));
    }

    [Fact]
    public void RemoveLeftovers_FolderAWorkloadDatedInTheFuture_IsKeptOnlyForTheRetention()
    {
        // touch -d 2100-01-01 /lease, on the real clock: the agent must still start, and the folder not outlive its time.
        var root = ProcessProbe.Root();
        var folder = Folder(root, "lease-future");
        var future = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "output.log"), future);
        Directory.SetLastWriteTimeUtc(folder, future);

        using (var folders = new LeaseFolders(root, LeaseFolders.MaxRetention, TimeProvider.System, NullLogger.Instance))
            folders.RemoveLeftovers();
        Assert.True(Directory.Exists(folder));

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var later = new LeaseFolders(root, Retention, time, NullLogger.Instance);
        later.RemoveLeftovers();
        time.Advance(Retention);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Removal_OfAFolderWithALinkOut_LeavesWhatTheLinkPointsTo()
    {
        var root = ProcessProbe.Root();
        var outside = Directory.CreateTempSubdirectory("gpunet-outside-").FullName;
        File.WriteAllText(Path.Combine(outside, "keep"), "the host's");
        var folder = Folder(root, "lease-link");
        // What a workload that owned its folder could leave behind.
        Directory.CreateSymbolicLink(Path.Combine(folder, "escape"), outside);
        var time = new FakeTimeProvider();
        using var folders = new LeaseFolders(root, TimeSpan.Zero, time, NullLogger.Instance);

        folders.Ended("lease-link");

        Assert.False(Directory.Exists(folder));
        Assert.Equal("the host's", File.ReadAllText(Path.Combine(outside, "keep")));
    }
}
