namespace Gpunet.IntegrationTests.Api;

/// <summary>A test that runs the npm tools of <c>tests/openapi-client</c> under node; skipped, with the reason, where node
/// or the modules (<c>.ci/install-openapi-client</c>) are missing, except under <c>CI=true</c>, where <c>.ci/run</c> has
/// installed them and a missing tool must fail the run.</summary>
public sealed class OpenApiClientFactAttribute : FactAttribute
{
    public OpenApiClientFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && Missing() is { } reason)
            Skip = reason;
    }

    /// <summary>The repository's <c>tests/openapi-client</c> folder.</summary>
    internal static string ClientDirectory => Path.Combine(RepositoryRoot, "tests", "openapi-client");

    /// <summary>The folder holding <c>Gpunet.slnx</c> (and <c>redocly.yaml</c>), above the test's binaries.</summary>
    internal static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gpunet.slnx")))
                    return dir.FullName;
            }

            throw new InvalidOperationException($"no Gpunet.slnx above {AppContext.BaseDirectory}");
        }
    }

    private static string? Missing()
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "node")).FirstOrDefault(File.Exists);
        if (node is null)
            return "node is not on PATH (the generated TypeScript client runs under node 20 or later)";
        var modules = Path.Combine(ClientDirectory, "node_modules");
        foreach (var tool in new[] { "openapi-typescript/bin/cli.js", "typescript/bin/tsc", "@redocly/cli/bin/cli.js", "openapi-fetch/package.json",
            "@stoplight/spectral-cli/dist/index.js", "@stoplight/spectral-owasp-ruleset/package.json" })
        {
            if (!File.Exists(Path.Combine(modules, tool)))
                return $"{Path.Combine(modules, tool)} is missing: run .ci/install-openapi-client (npm ci in tests/openapi-client)";
        }

        return null;
    }
}
