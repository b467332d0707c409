using System.Collections.Concurrent;

namespace Gpunet.Coordinator.Verification;

/// <summary>The checkers connected to this coordinator, one session per address (a newer stream replaces an older).</summary>
internal sealed class CheckerRoster
{
    private readonly ConcurrentDictionary<string, CheckerSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Every connected checker.</summary>
    public ICollection<CheckerSession> Connected => _sessions.Values;

    /// <summary>The connected session of <paramref name="address"/> (lowercase), if any.</summary>
    public CheckerSession? Of(string address) => _sessions.TryGetValue(address, out var s) ? s : null;

    /// <summary>Makes <paramref name="session"/> its checker's session; returns the one it replaced.</summary>
    public CheckerSession? Attach(CheckerSession session)
    {
        CheckerSession? previous = null;
        _sessions.AddOrUpdate(session.Address.Value, session, (_, old) =>
        {
            previous = old;
            return session;
        });
        return previous;
    }

    /// <summary>Removes <paramref name="session"/> if it is still its checker's session.</summary>
    public void Detach(CheckerSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, CheckerSession>(session.Address.Value, session));
}
