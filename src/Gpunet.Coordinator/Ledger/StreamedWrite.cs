using System.Threading.Channels;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A batch of the ledger service being streamed (<see cref="LedgerStream"/>): decided into its slices while the
/// store writes them, then finished, or abandoned (its transaction rolled back) when it must be decided again.</summary>
internal sealed class StreamedWrite(Func<LedgerReplica.Decided> decide, ChannelWriter<LedgerSlice> slices, TaskCompletionSource<LedgerWrite> rest, Task writing)
{
    public LedgerReplica.Decided Decide()
    {
        try
        {
            return decide();
        }
        catch (Exception e)
        {
            rest.TrySetException(e);
            _ = writing.ContinueWith(t => t.Exception, TaskScheduler.Default); // its failure is this one
            throw;
        }
        finally
        {
            slices.TryComplete();
        }
    }

    // The rest of the batch, once decided: the store writes it and commits.
    public Task FinishAsync(LedgerWrite decided)
    {
        rest.TrySetResult(decided);
        return writing;
    }

    // The batch is decided again: the store's transaction is rolled back.
    public async Task AbandonAsync()
    {
        rest.TrySetException(new OperationCanceledException("the batch is decided again"));
        try
        {
            await writing;
        }
#pragma warning disable CA1031 // whatever ended it, the transaction was rolled back, as asked
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
