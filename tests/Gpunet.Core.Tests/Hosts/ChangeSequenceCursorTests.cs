using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class ChangeSequenceCursorTests
{
    private static readonly TimeSpan GapWait = TimeSpan.FromSeconds(30);

    [Fact]
    public void Take_NumbersInOrder_TakesEachOnceAndReadsOnAfterTheLast()
    {
        var cursor = new ChangeSequenceCursor(10, GapWait);

        Assert.Equal([11L, 12L], cursor.Take([11, 12], 0));
        Assert.Empty(cursor.Take([12], 0));
        Assert.Equal(12, cursor.ReadAfter);
        Assert.Empty(cursor.Gaps);
    }

    [Fact]
    public void Take_ALaterNumberCommittedFirst_TakesTheEarlierOneWhenItCommits()
    {
        // Transaction 11 is still open when 12 commits: a reader after 12 alone would never see 11.
        var cursor = new ChangeSequenceCursor(10, GapWait);

        Assert.Equal([12L], cursor.Take([12], 0));
        Assert.Equal(10, cursor.ReadAfter);
        Assert.Equal([11L], cursor.Take([11, 12], 1_000));
        Assert.Equal(12, cursor.ReadAfter);
    }

    [Fact]
    public void Take_ANumberThatNeverCommits_IsWaitedForOnlyUntilTheGapWait()
    {
        var cursor = new ChangeSequenceCursor(0, GapWait);
        cursor.Take([2], 0);

        cursor.Take([2], (long)GapWait.TotalMilliseconds - 1);
        Assert.Equal([1L], cursor.Gaps);
        cursor.Take([2], (long)GapWait.TotalMilliseconds);
        Assert.Empty(cursor.Gaps);
        Assert.Equal(2, cursor.ReadAfter);
    }

    [Fact]
    public void Take_AJumpWiderThanAnyTransactionsInFlight_WaitsForNone()
    {
        var cursor = new ChangeSequenceCursor(0, GapWait);

        Assert.Equal([5_000L], cursor.Take([5_000], 0));
        Assert.Empty(cursor.Gaps);
        Assert.Equal(5_000, cursor.ReadAfter);
    }

    [Fact]
    public void Take_AnyCommitOrder_TakesEveryNumberExactlyOnce()
    {
        // Numbers 1..40 committed in a shuffled order, read in batches of whatever has committed so far.
        var random = new Random(16);
        var order = Enumerable.Range(1, 40).Select(n => (long)n).OrderBy(_ => random.Next()).ToList();
        var cursor = new ChangeSequenceCursor(0, GapWait);
        var committed = new List<long>();
        var taken = new List<long>();
        foreach (var n in order)
        {
            committed.Add(n);
            taken.AddRange(cursor.Take(committed.Where(c => c > cursor.ReadAfter), 0));
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(n => (long)n), taken.Order());
        Assert.Empty(cursor.Gaps);
    }
}
