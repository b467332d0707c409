using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>One open lease page's stream: subscribed to the lease's lines and changes before it reads the store, so a
/// line stored before shows up in the read and one stored after is pushed, each sent once and in order.</summary>
internal sealed class LeaseEventStream(LeaseStore store, Market market, LeaseLogFeed feed, string id, LogPosition position, JsonSerializerOptions json) : IDisposable
{
    private readonly LogFollower _follower = feed.Follow(id, watchChanges: true);
    private const int Batch = 1000;

    private LogPosition _position = position;
    private long _version = -1;
    private bool _readStore = true, _more, _done;

    /// <summary>The next events (possibly none, after a quiet wait); null once the lease has ended and all was sent, or
    /// the page went away.</summary>
    public async Task<List<SseItem<string>>?> NextAsync(CancellationToken ct)
    {
        if (_done)
            return null;
        try
        {
            var items = new List<SseItem<string>>();
            if (_readStore)
            {
                await ReadStoreAsync(items, ct);
                // What the read found is sent at once (a long output a batch at a time, the next read at once); the wait
                // for pushes comes after, and a push that came meanwhile is waiting in the follower (subscribed first).
                _readStore = _more;
                if (_done || items.Count > 0)
                    return items;
            }

            // Local leases' lines and changes are pushed; another coordinator's are read from the store every few seconds.
            var woken = await _follower.WaitAsync(market.ReceivesLinesOf(id) ? MarketApi.LocalPoll : MarketApi.ForeignPoll, ct);
            while (_follower.TryRead(out var line))
                Add(items, line);
            _readStore = !woken | _follower.Ended | _follower.TakeBehind() | _follower.TakeChanged();
            return items;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The lease when it changed, then its stored lines after the position; the lease's state is read before its
    /// lines: once it has ended its lines are all stored (the market stores the end after them), so that read is the last.</summary>
    private async Task ReadStoreAsync(List<SseItem<string>> items, CancellationToken ct)
    {
        var lease = (await store.LeaseAsync(id, ct))!;
        if (lease.Version != _version)
        {
            _version = lease.Version;
            items.Add(new SseItem<string>(JsonSerializer.Serialize(await MarketApi.ViewAsync(store, lease, ct), json), "lease"));
        }

        var lines = await store.LogsAsync(id, _position, Batch, ct);
        foreach (var line in lines)
            Add(items, line);
        _more = lines.Count == Batch;
        if (!_more && LeaseLifecycle.IsEnded(Enum.Parse<LeaseState>(lease.State)))
        {
            items.Add(new SseItem<string>(JsonSerializer.Serialize(new { state = lease.State }, json), "end"));
            _done = true;
        }
    }

    private void Add(List<SseItem<string>> items, LeaseLogRecord line)
    {
        // Pushed lines the store read already gave are skipped.
        if (!_position.Precedes(line))
            return;
        _position = LogPosition.After(line);
        items.Add(new SseItem<string>(JsonSerializer.Serialize(new LogLineView(line.Sequence, line.Stream, line.Text, line.At, line.Attempt), json), "line")
        {
            EventId = string.Create(CultureInfo.InvariantCulture, $"{line.Attempt}:{line.Sequence}"),
        });
    }

    public void Dispose() => _follower.Dispose();
}
