namespace Gpunet.Agent.Workloads;

/// <summary>The host's <c>/etc</c> as a workload sees it: the entries <see cref="ProcessSandbox"/> lists (users' names,
/// name resolution, CA certificates, the dynamic linker's cache, the time zone), copied into one folder that the sandbox
/// binds read-only at <c>/etc</c>, and copied again when the host's change.</summary>
/// <remarks>
/// <para>Why a copy: bubblewrap reads the whole mount table again for every bind it makes, so binding each entry alone
/// cost a workload's start about 3.9 ms of the 11.4 it took here (200 starts of <c>true</c>), and more on a host with
/// more mounts (a Docker or Kubernetes node has hundreds). One folder is one bind.</para>
/// <para>What is copied: a listed file's content (a link is followed, as a bind follows it), a listed folder with its
/// files, folders and links as they are (a link inside keeps its target, which the sandbox may or may not hold). Only
/// what every user may read is copied: a workload runs as a uid of its own and could not read the rest on the host
/// either, and the host's private keys (<c>/etc/ssl/private</c>) are not duplicated into the agent's folder.</para>
/// <para>One copy serves every agent of a process (a devnet's hosts): the copy is a few hundred files and links
/// (<c>/etc/ssl/certs</c>, <c>/etc/alternatives</c>), which 32 agents of `gpunet bench rent` each made again.</para>
/// <para>When: the listed entries are compared with the copy at most every <see cref="CheckEvery"/> (their sizes,
/// times and link targets, folders included: about 1 ms for a few hundred certificates); a change is copied into a new
/// folder, so a running sandbox keeps the copy it started with; a replaced copy is removed when the last sandbox that
/// uses it ends. A lease started within that time of a change on the host still sees the entries before it. Copies of
/// an agent's earlier runs are removed when it starts.</para>
/// </remarks>
internal sealed class SandboxEtc
{
    /// <summary>How often the host's entries are compared with the copy.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(10);

    private readonly string _source;
    private readonly string _folder;
    private readonly IReadOnlyList<string> _entries;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _current;
    private string _stamp = "";
    private DateTimeOffset _checkedAt;
    private int _generation;
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);

    /// <param name="source">The host's configuration folder (<c>/etc</c>; tests give another).</param>
    /// <param name="folder">Where the copies are kept: a folder of the agent's own, not a lease's; a copy removed from
    /// there (another agent of the process whose folder it was, removed) is made again.</param>
    /// <param name="entries">The entries of <paramref name="source"/> a workload sees.</param>
    public SandboxEtc(string source, string folder, IReadOnlyList<string> entries, TimeProvider time)
    {
        _source = source;
        _folder = folder;
        _entries = entries;
        _time = time;
        // The copies an earlier run of the agent left (its sandboxes ended with it).
        foreach (var earlier in Directory.Exists(folder) ? Directory.EnumerateDirectories(folder, "etc.*") : [])
            Directory.Delete(earlier, recursive: true);
    }

    /// <summary>The folder to bind at <c>/etc</c> for a sandbox starting now: the copy of the host's entries as they are,
    /// give or take <see cref="CheckEvery"/>. Dispose it when the sandbox has ended: a copy that a newer one replaced is
    /// removed once no sandbox uses it.</summary>
    public Use Acquire()
    {
        lock (_gate)
        {
            var folder = Current();
            _users[folder] = _users.GetValueOrDefault(folder) + 1;
            return new Use(this, folder);
        }
    }

    /// <summary>A sandbox's use of one copy (<see cref="Acquire"/>).</summary>
    public sealed class Use(SandboxEtc copies, string folder) : IDisposable
    {
        private int _released;

        /// <summary>The copy to bind at <c>/etc</c>.</summary>
        public string Folder => folder;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                copies.Release(folder);
        }
    }

    private void Release(string folder)
    {
        lock (_gate)
        {
            if (_users.TryGetValue(folder, out var users) && users > 1)
            {
                _users[folder] = users - 1;
                return;
            }

            _users.Remove(folder);
            if (folder != _current)
                Remove(folder);
        }
    }

    private string Current()
    {
        var now = _time.GetUtcNow();
        if (_current is not null && now - _checkedAt < CheckEvery && Directory.Exists(_current))
            return _current;
        _checkedAt = now;
        var stamp = Stamp();
        if (_current is not null && stamp == _stamp && Directory.Exists(_current))
            return _current;
        var next = Path.Combine(_folder, $"etc.{++_generation}");
        Copy(next);
        // The copy it replaces goes now if no sandbox uses it, else when the last one ends (Release).
        if (_current is { } replaced && !_users.ContainsKey(replaced))
            Remove(replaced);
        (_current, _stamp) = (next, stamp);
        return next;
    }

    private static void Remove(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed already, or busy: the agent's next start removes every copy of its earlier run.
        }
    }

    private void Copy(string into)
    {
        CreateFolder(into, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | Everyone);
        foreach (var name in _entries)
        {
            var from = Path.Combine(_source, name);
            var to = Path.Combine(into, name);
            if (Directory.Exists(from))
                CopyFolder(new DirectoryInfo(from), to);
            else if (File.Exists(from))
                CopyFile(from, to);
        }
    }

    private static void CopyFolder(DirectoryInfo from, string to)
    {
        if (!Readable(from))
            return;
        CreateFolder(to, from.UnixFileMode);
        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
                File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo folder)
                CopyFolder(folder, target);
            else if (entry is FileInfo)
                CopyFile(entry.FullName, target);
        }
    }

    private static void CopyFile(string from, string to)
    {
        var file = new FileInfo(from);
        if (file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            file = target;
        if (!file.Exists || !Readable(file))
            return;
        try
        {
            File.Copy(file.FullName, to);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable meanwhile: the workload simply does not see it.
        }
    }

    private static void CreateFolder(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path); // no sandbox there; for the analyzer
        else
            Directory.CreateDirectory(path, mode);
    }

    private const UnixFileMode Everyone = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static bool Readable(FileSystemInfo entry) =>
        (entry.UnixFileMode & UnixFileMode.OtherRead) != 0 && (entry is not DirectoryInfo || (entry.UnixFileMode & UnixFileMode.OtherExecute) != 0);

    // What the copy depends on: every listed entry and everything under a listed folder, by path, size, time and link.
    private string Stamp()
    {
        var parts = new System.Text.StringBuilder();
        foreach (var name in _entries)
        {
            var path = Path.Combine(_source, name);
            Add(parts, Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path), depth: 0);
        }

        return parts.ToString();
    }

    private static void Add(System.Text.StringBuilder parts, FileSystemInfo entry, int depth)
    {
        if (!entry.Exists)
            return;
        var followed = depth == 0 && entry.LinkTarget is not null ? entry.ResolveLinkTarget(returnFinalTarget: true) ?? entry : entry;
        parts.Append(entry.FullName).Append('|').Append(entry.LinkTarget).Append('|').Append(followed.LastWriteTimeUtc.Ticks).Append('|')
            .Append((int)followed.UnixFileMode).Append('|').Append(followed is FileInfo f && f.Exists ? f.Length : -1).Append('\n');
        if (followed is DirectoryInfo folder && (depth == 0 || entry.LinkTarget is null) && Readable(folder))
        {
            foreach (var inner in folder.EnumerateFileSystemInfos())
                Add(parts, inner, depth + 1);
        }
    }
}
