using System.Net.ServerSentEvents;
using System.Text.Json;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Api;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Console;

/// <summary>One open host operator's page: the wallet's hosts (the first <see cref="Followed"/>, as the page shows them)
/// at once, then each host whose state, reason or stake changed, each check of them decided, each settled epoch's
/// earnings of them.</summary>
/// <remarks>
/// <para>States are read from the registry (kept in step with other coordinators by <see cref="HostChangeFeed"/>), checks and
/// earnings from the store, so a change any coordinator made is sent. Each round costs two small indexed reads whatever
/// the network's size: the followed hosts' checks issued since the oldest one still open (one index range per host), and
/// the newest settled epoch's number; the host list is scanned again only when the registry grew.</para>
/// <para>There is no resume point: a reconnecting page is sent the snapshot again and reads each host's checks and
/// earnings afresh. One instance per connection; not thread-safe.</para>
/// </remarks>
internal sealed class HostEventStream(
    Address owner, HostRegistry registry, HostStakes stakes, HostTrackRecords trackRecords, IDbContextFactory<GpunetDb> dbFactory,
    TimeProvider time, JsonSerializerOptions json)
{
    /// <summary>The hosts a stream follows, as many as the page shows (a farm's others: <c>gpunet hosts --json</c>).</summary>
    public const int Followed = ShortLists.FollowedHosts;

    /// <summary>How far before the last read a check's issue time may lie and still be new to the stream: a check another
    /// coordinator issued is stored a moment after its time was taken.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (HostState State, string Reason, DateTimeOffset Since, string Staked, bool Paused)> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _checksSent = new(StringComparer.Ordinal);
    private List<HostEntry> _hosts = [];
    private List<string> _ids = [];
    private int _total, _registryCount = -1;
    private DateTimeOffset _checksFrom;
    private long _epoch;

    /// <summary>The snapshot: the hosts followed; checks decided and epochs settled until now are the page's to read.</summary>
    public async Task<List<SseItem<string>>> FirstAsync(CancellationToken ct)
    {
        var items = new List<SseItem<string>>();
        Rescan(items, snapshot: true);
        _checksFrom = time.GetUtcNow() - Slack;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var c in await RecentChecksAsync(db, ct))
        {
            if (c.Outcome != CheckOutcomes.Pending)
                _checksSent[c.Id] = c.IssuedAt;
        }

        _epoch = await db.Epochs.MaxAsync(e => (long?)e.Epoch, ct) ?? long.MinValue;
        return items;
    }

    /// <summary>What changed since the last round (possibly nothing).</summary>
    public async Task<List<SseItem<string>>> NextAsync(CancellationToken ct)
    {
        var items = new List<SseItem<string>>();
        if (registry.Count != _registryCount)
            Rescan(items, snapshot: false);
        foreach (var host in _hosts)
        {
            var key = Key(host);
            if (_sent[host.Id] != key)
            {
                _sent[host.Id] = key;
                items.Add(Item("host", HostsApi.View(host, admin: false, stakes, trackRecords)));
            }
        }

        if (_ids.Count == 0)
            return items;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ChecksAsync(db, items, ct);
        await EarningsAsync(db, items, ct);
        return items;
    }

    /// <summary>The followed hosts read again from the registry; a snapshot is sent first, and later when the wallet's
    /// hosts are not the same as before (one registered, here or at another coordinator).</summary>
    private void Rescan(List<SseItem<string>> items, bool snapshot)
    {
        _registryCount = registry.Count;
        var own = registry.OwnedBy(owner).OrderBy(e => e.Record.RegisteredAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var followed = own.Take(Followed).ToList();
        if (!snapshot && own.Count == _total && followed.Select(h => h.Id).SequenceEqual(_ids))
            return;
        _total = own.Count;
        _hosts = followed;
        _ids = [.. followed.Select(h => h.Id)];
        _sent.Clear();
        foreach (var host in followed)
            _sent[host.Id] = Key(host);
        items.Add(Item("hosts", new HostStreamSnapshotView(_total, [.. followed.Select(h => HostsApi.View(h, admin: false, stakes, trackRecords))])));
    }

    private (HostState, string, DateTimeOffset, string, bool) Key(HostEntry host)
    {
        var (state, reason, since) = host.Snapshot();
        return (state, reason, since, stakes.Staked(host).ToString(), stakes.Paused(host));
    }

    /// <summary>Checks of the followed hosts issued since the oldest that may still be decided (one index range per host).</summary>
    private Task<List<CheckRecord>> RecentChecksAsync(GpunetDb db, CancellationToken ct)
    {
        var from = _checksFrom;
        return db.Checks.AsNoTracking().Where(c => _ids.Contains(c.HostId) && c.IssuedAt >= from).ToListAsync(ct);
    }

    private async Task ChecksAsync(GpunetDb db, List<SseItem<string>> items, CancellationToken ct)
    {
        var rows = await RecentChecksAsync(db, ct);
        foreach (var c in rows.Where(c => c.Outcome != CheckOutcomes.Pending && !_checksSent.ContainsKey(c.Id)).OrderBy(c => c.DecidedAt))
        {
            _checksSent[c.Id] = c.IssuedAt;
            items.Add(Item("check", new HostCheckDecidedView(c.HostId, c.Id, c.Kind, c.Outcome, c.Consequence, c.DecidedAt)));
        }

        // The window moves up to the oldest check still open, and never closer to now than the slack.
        var from = time.GetUtcNow() - Slack;
        foreach (var c in rows.Where(c => c.Outcome == CheckOutcomes.Pending && c.IssuedAt < from))
            from = c.IssuedAt;
        _checksFrom = from > _checksFrom ? from : _checksFrom;
        foreach (var id in _checksSent.Where(s => s.Value < _checksFrom).Select(s => s.Key).ToList())
            _checksSent.Remove(id);
    }

    private async Task EarningsAsync(GpunetDb db, List<SseItem<string>> items, CancellationToken ct)
    {
        var latest = await db.Epochs.MaxAsync(e => (long?)e.Epoch, ct) ?? long.MinValue;
        if (latest <= _epoch)
            return;
        var after = _epoch;
        var rows = await db.HostEarnings.AsNoTracking().Where(e => _ids.Contains(e.HostId) && e.Epoch > after && e.Epoch <= latest).ToListAsync(ct);
        var numbers = rows.Select(r => r.Epoch).Distinct().ToList();
        var epochs = await db.Epochs.AsNoTracking().Where(e => numbers.Contains(e.Epoch)).ToDictionaryAsync(e => e.Epoch, ct);
        foreach (var r in rows.OrderBy(r => r.Epoch).ThenBy(r => r.HostId, StringComparer.Ordinal))
            items.Add(Item("earnings", new HostEpochEarningView(r.HostId, HostEarningsApi.View(r, epochs[r.Epoch]))));
        _epoch = latest;
    }

    private SseItem<string> Item<T>(string type, T data) => new(JsonSerializer.Serialize(data, json), type);
}
