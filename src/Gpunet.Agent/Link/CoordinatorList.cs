namespace Gpunet.Agent.Link;

/// <summary>The coordinators of one network an agent may connect to, in the order it tries them, and a REST client for
/// each (it asks each where its agents connect).</summary>
/// <remarks>Only the agent's run loop moves it (<see cref="Next"/>); <see cref="Current"/> may be read from anywhere.</remarks>
internal sealed class CoordinatorList : IDisposable
{
    private readonly IReadOnlyList<Uri> _urls;
    private readonly HttpClient[] _http;
    private int _current;

    public CoordinatorList(IReadOnlyList<Uri> urls)
    {
        ArgumentOutOfRangeException.ThrowIfZero(urls.Count);
        _urls = urls;
        _http = [.. urls.Select(c => new HttpClient { BaseAddress = c, Timeout = TimeSpan.FromSeconds(10) })];
    }

    /// <summary>The coordinator connected to now, or tried next.</summary>
    public Uri Current => _urls[Volatile.Read(ref _current)];

    /// <summary>The REST client of <see cref="Current"/>.</summary>
    public HttpClient Http => _http[Volatile.Read(ref _current)];

    /// <summary>Moves to the next coordinator of the list (the first after the last); false when there is only one.</summary>
    public bool Next()
    {
        if (_http.Length == 1)
            return false;
        Volatile.Write(ref _current, (_current + 1) % _http.Length);
        return true;
    }

    public void Dispose()
    {
        foreach (var http in _http)
            http.Dispose();
    }
}
