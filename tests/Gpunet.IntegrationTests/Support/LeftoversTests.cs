using System.Diagnostics;
using Gpunet.IntegrationTests.Deploy;

namespace Gpunet.IntegrationTests.Support;

/// <summary>A child left by a test host that died is killed before the next run starts its own; a child of a test host
/// that still runs (this one, or another run beside it) is left alone.</summary>
public sealed class LeftoversTests
{
    [Fact]
    public async Task ChildOfADeadTestHost_IsKilled_ChildOfThisOneIsNot()
    {
        // A test host that ran as this process id once, long ago: same id, another start time.
        var dead = $"{Environment.ProcessId}:1";
        using var orphan = Sleep(dead);
        using var ours = Sleep(Leftovers.ThisHost);
        await Eventually.Async(() => Task.FromResult(File.Exists($"/proc/{orphan.Id}/environ") && File.ReadAllText($"/proc/{orphan.Id}/environ").Contains(Leftovers.Variable, StringComparison.Ordinal)),
            started => started, "the children to start", 10);

        Assert.False(Leftovers.Alive(dead));
        Assert.True(Leftovers.Alive(Leftovers.ThisHost));
        Assert.True(Leftovers.KillOrphans() >= 1);

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await orphan.WaitForExitAsync(bound.Token);
        Assert.False(ours.HasExited);
        ours.Kill();
    }

    [Fact]
    public void ComposeProject_OfADeadTestHostIsAnOrphan_OthersAreNot()
    {
        Assert.True(ComposeTests.OrphanProject($"gpunet-images-{Environment.ProcessId}-1-4242"));
        Assert.False(ComposeTests.OrphanProject($"gpunet-images-{Leftovers.ThisHost.Replace(':', '-')}-4242"));
        Assert.False(ComposeTests.OrphanProject("someone-elses-project"));
        Assert.False(ComposeTests.OrphanProject("gpunet-images-123-4242"));
    }

    private static Process Sleep(string host)
    {
        var psi = new ProcessStartInfo("sleep", ["300"]) { UseShellExecute = false };
        psi.Environment[Leftovers.Variable] = host;
        return Process.Start(psi)!;
    }
}
