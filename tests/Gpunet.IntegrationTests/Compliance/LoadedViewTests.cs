using Gpunet.Coordinator.Compliance;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The compliance views (host locations, KYC standings) swap in a load whole, without losing what this
/// coordinator remembered or forgot while the store was being read.</summary>
public sealed class LoadedViewTests
{
    private sealed record Row(string Key, int Version);

    private static LoadedView<Row> NewestWins() => new(r => r.Key, static (known, arriving) => known.Version > arriving.Version ? known : arriving);

    [Fact]
    public async Task Load_ReplacesTheView_KeepingTheNewestOfEachKey()
    {
        var view = NewestWins();
        view.Remember(new Row("gone", 1));
        await view.LoadAsync(_ => Task.FromResult<IReadOnlyList<Row>>([new Row("a", 2), new Row("a", 1), new Row("b", 1)]), CancellationToken.None);

        Assert.Equal(2, view.Get("a")!.Version);
        Assert.Equal(1, view.Get("b")!.Version);
        Assert.Null(view.Get("gone"));
    }

    [Fact]
    public async Task RememberedOrForgottenWhileTheStoreIsRead_OutlastsTheLoad()
    {
        var view = NewestWins();
        var read = new TaskCompletionSource<IReadOnlyList<Row>>();
        var load = view.LoadAsync(_ => read.Task, CancellationToken.None);

        // While the store is read: a new record arrives, and another arrives and is forgotten (its write failed, so the
        // store never had it).
        view.Remember(new Row("new", 3));
        var failed = new Row("failed", 1);
        view.Remember(failed);
        view.Forget(failed);
        read.SetResult([new Row("new", 2)]);
        await load;

        Assert.Equal(3, view.Get("new")!.Version);
        Assert.Null(view.Get("failed"));
    }

    [Fact]
    public void Forget_AnOlderRecord_LeavesTheOneKeptNow()
    {
        var view = NewestWins();
        var old = new Row("a", 1);
        view.Remember(old);
        view.Remember(new Row("a", 2));
        view.Forget(old);
        Assert.Equal(2, view.Get("a")!.Version);
    }
}
