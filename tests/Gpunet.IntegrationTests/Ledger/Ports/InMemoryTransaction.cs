using System.Data;
using System.Data.Common;

namespace Gpunet.IntegrationTests.Ledger.Ports;

/// <summary>The transaction an in-memory store hands to work that commits with a ledger batch: what the work writes
/// is kept aside and becomes visible only when the batch commits.</summary>
internal sealed class InMemoryTransaction : DbTransaction
{
    private readonly List<Action> _onCommit = [];

    /// <summary>Makes <paramref name="write"/> happen if, and when, the batch commits.</summary>
    public void OnCommit(Action write) => _onCommit.Add(write);

    public override void Commit()
    {
        foreach (var write in _onCommit)
            write();
    }

    public override void Rollback() => _onCommit.Clear();

    public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

    protected override DbConnection? DbConnection => null;
}
