using System.Runtime.InteropServices;

namespace Gpunet.Core.Ledger;

/// <summary>What a <see cref="LedgerBook"/> knows of transfers: the recent log (every transfer when it has no
/// capacity), every open pending transfer however old, and older transfers its owner looked up and remembered.</summary>
/// <remarks>Bounded: the recent log keeps about the capacity's newest transfers (at most twice as many, dropped in
/// one copy per capacity transfers), remembered ones are forgotten past the capacity (they can be looked up again).
/// Not thread-safe; the book's rules decide, this only keeps.</remarks>
internal sealed class TransferLog(int recentCapacity)
{
    /// <summary>A transfer as kept: where it stands if it is pending, and for a post or void the log position of the
    /// pending transfer it resolved (-1 when that one is older than the recent log).</summary>
    public readonly record struct Entry(Transfer Transfer, PendingStatus Status, long PendingPosition);

    private readonly List<Entry> _log = []; // the recent log: _log[0] is at position _start
    private readonly Dictionary<TransferId, long> _index = []; // ids of the recent log, by position
    private readonly Dictionary<TransferId, Transfer> _open = []; // every open pending transfer, recent or not
    private readonly Dictionary<TransferId, Entry> _remembered = []; // older transfers looked up in a store
    private long _start;

    /// <summary>Transfers appended, kept or not: the next transfer's log position.</summary>
    public long Count => _start + _log.Count;

    /// <summary>The log position of the oldest transfer still in the recent log.</summary>
    public long OldestKept => _start;

    /// <summary>Transfers held: the recent log, open pending transfers outside it, and remembered ones.</summary>
    public int Kept => _log.Count + _remembered.Count + _open.Keys.Count(id => !_index.ContainsKey(id));

    /// <summary>Open pending transfers.</summary>
    public int OpenCount => _open.Count;

    /// <summary>The recent log, oldest first.</summary>
    public IEnumerable<Transfer> Recent => _log.Select(e => e.Transfer);

    /// <summary>The transfer with this id if it is known (recent, open or remembered): where it stands, and its log
    /// position when it is in the recent log (else -1).</summary>
    public bool TryFind(TransferId id, out Transfer transfer, out PendingStatus status, out long position)
    {
        if (_index.TryGetValue(id, out position))
        {
            var e = _log[(int)(position - _start)];
            (transfer, status) = (e.Transfer, e.Status);
            return true;
        }

        position = -1;
        if (_open.TryGetValue(id, out transfer))
        {
            status = PendingStatus.Pending;
            return true;
        }

        if (_remembered.TryGetValue(id, out var old))
        {
            (transfer, status) = (old.Transfer, old.Status);
            return true;
        }

        status = PendingStatus.None;
        return false;
    }

    /// <summary>The entry at this log position, which must be in the recent log.</summary>
    public Entry At(long position) =>
        position >= _start && position < Count
            ? _log[(int)(position - _start)]
            : throw new ArgumentOutOfRangeException(nameof(position), position, "not in the recent log");

    /// <summary>Makes room for <paramref name="more"/> appends, so a large batch (an epoch's settlement: 300,000
    /// transfers) grows the log and its index once rather than by doubling, copying each time.</summary>
    public void Reserve(int more)
    {
        // Only for a batch larger than the log kept, so the room at least doubles: a dictionary grows to exactly what
        // is asked, and asking a little more for every small batch would rehash it every time.
        if (more <= _log.Count)
            return;
        _log.EnsureCapacity(_log.Count + more);
        _index.EnsureCapacity(_index.Count + more);
    }

    /// <summary>Appends a transfer; a pending one is open until resolved.</summary>
    /// <exception cref="ArgumentException">The id is already in the recent log.</exception>
    public void Append(in Transfer t, PendingStatus status, long pendingPosition)
    {
        _index.Add(t.Id, Count);
        _log.Add(new Entry(t, status, pendingPosition));
        if (status == PendingStatus.Pending)
            _open[t.Id] = t;
    }

    /// <summary>Marks an open pending transfer posted or voided; one older than the recent log is remembered so that a
    /// second post or void is refused as it would be with the whole log.</summary>
    public void Resolve(in Transfer pending, long position, PendingStatus outcome)
    {
        if (position >= 0)
            SetStatus(position, outcome);
        else
            _remembered[pending.Id] = new Entry(pending, outcome, -1);
        _open.Remove(pending.Id);
    }

    /// <summary>A stored post or void replayed: its pending transfer is no longer open (and, if recent, marked); returns
    /// the pending transfer's position, or -1 where it is older than the recent log.</summary>
    public long ResolveReplayed(TransferId pendingId, PendingStatus outcome)
    {
        _open.Remove(pendingId);
        if (!_index.TryGetValue(pendingId, out var position))
            return -1;
        SetStatus(position, outcome);
        return position;
    }

    /// <summary>Opens again a pending transfer a rolled-back post or void had resolved.</summary>
    public void Reopen(in Transfer pending, long position)
    {
        if (position >= 0)
            SetStatus(position, PendingStatus.Pending);
        else
            _remembered.Remove(pending.Id);
        _open[pending.Id] = pending;
    }

    /// <summary>Remembers a stored transfer older than the recent log (an open or recent one is known already).</summary>
    public void Remember(in Transfer transfer, PendingStatus status)
    {
        if (!_index.ContainsKey(transfer.Id) && !_open.ContainsKey(transfer.Id))
            _remembered[transfer.Id] = new Entry(transfer, status, -1);
    }

    /// <summary>Removes the log from <paramref name="mark"/> to its end (a rolled-back chain); pending transfers
    /// among them are no longer open.</summary>
    public void TruncateTo(long mark)
    {
        var keep = (int)(mark - _start);
        for (var i = keep; i < _log.Count; i++)
        {
            _index.Remove(_log[i].Transfer.Id);
            if (_log[i].Status == PendingStatus.Pending)
                _open.Remove(_log[i].Transfer.Id);
        }

        _log.RemoveRange(keep, _log.Count - keep);
    }

    /// <summary>Drops the oldest transfers once the recent log holds twice its capacity; open pending transfers stay
    /// known, and remembered ones go all at once past the capacity.</summary>
    public void Trim()
    {
        if (_remembered.Count > recentCapacity)
            _remembered.Clear();
        if (_log.Count <= 2L * Math.Min(recentCapacity, int.MaxValue / 2))
            return;
        var drop = _log.Count - recentCapacity;
        for (var i = 0; i < drop; i++)
            _index.Remove(_log[i].Transfer.Id);
        _log.RemoveRange(0, drop);
        _start += drop;
    }

    private void SetStatus(long position, PendingStatus status) =>
        CollectionsMarshal.AsSpan(_log)[(int)(position - _start)] = _log[(int)(position - _start)] with { Status = status };
}
