namespace Gpunet.Agent.Workloads;

/// <summary>Finds the executable a command names.</summary>
internal static class ProgramPath
{
    /// <summary>The path of an executable <paramref name="name"/>: as given when it has a '/', else the first found on
    /// <paramref name="searchPath"/> (a PATH value; default this process's PATH); null when there is none.</summary>
    public static string? Find(string name, string? searchPath = null)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
