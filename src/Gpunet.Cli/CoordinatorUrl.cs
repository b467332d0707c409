namespace Gpunet.Cli;

/// <summary>Which coordinator a long-running node (an agent, a checker) connects to: <c>--coordinator</c>, else
/// <c>GPUNET_COORDINATOR</c>, else the current profile's.</summary>
internal static class CoordinatorUrl
{
    public static Uri Resolve(string? flag, GpunetHome home)
    {
        var url = flag ?? Environment.GetEnvironmentVariable("GPUNET_COORDINATOR") ?? home.LoadProfile()?.Coordinator
            ?? throw new CliException("--coordinator: required (or set GPUNET_COORDINATOR, or run gpunet devnet)");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new CliException($"--coordinator: '{url}' is not an http(s) URL");
        return uri;
    }

    /// <summary>One URL or several separated by commas (<c>gpunet agent --coordinator URL1,URL2</c>: coordinators of one
    /// network, tried in turn); each must be an http(s) URL.</summary>
    public static IReadOnlyList<Uri> ResolveList(string? flag, GpunetHome home)
    {
        if (flag is null || !flag.Contains(',', StringComparison.Ordinal))
            return [Resolve(flag, home)];
        var parts = flag.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
            throw new CliException($"--coordinator: '{flag}' has an empty URL; separate URLs with single commas");
        return [.. parts.Select(p => Resolve(p, home))];
    }
}
