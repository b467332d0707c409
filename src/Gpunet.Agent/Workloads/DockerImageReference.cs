using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gpunet.Agent.Workloads;

/// <summary>An image reference as the Docker Engine reads it, <c>[REGISTRY/]REPOSITORY[:TAG][@DIGEST]</c>, with the
/// registry the engine would pull it from made explicit.</summary>
/// <param name="Registry">The registry host (and port), lower case; <c>docker.io</c> when the reference names none.</param>
/// <param name="Repository">The repository path within the registry, e.g. <c>library/busybox</c>.</param>
/// <param name="Tag">The tag, or null.</param>
/// <param name="Digest">The content digest (<c>sha256:HEX</c>), or null.</param>
/// <remarks>The grammar is the distribution project's (the one the engine uses): the first path component is a
/// registry when it contains '.' or ':', is <c>localhost</c>, or has an upper-case letter; otherwise the image is on
/// Docker Hub, where a single name means <c>library/NAME</c>.</remarks>
internal sealed partial record DockerImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The registry every reference without one comes from.</summary>
    public const string DockerHub = "docker.io";

    // The engine's limit on the name part (registry and repository).
    private const int MaxNameLength = 255;

    /// <summary>Whether the image is pinned to its content: the engine runs exactly these bytes or nothing.</summary>
    public bool IsPinned => Digest is not null;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DockerImageReference? reference, out string error)
    {
        reference = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "an image is required";
            return false;
        }

        var match = Grammar().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not an image reference ([REGISTRY/]NAME[:TAG][@sha256:DIGEST], lower-case name)";
            return false;
        }

        var name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            error = $"'{text}': the name is longer than {MaxNameLength} characters";
            return false;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : name[..slash];
        string registry, repository;
        if (slash >= 0 && IsRegistry(first))
        {
            if (!IsRegistryName(first))
            {
                error = $"'{text}': '{first}' is not a registry (HOST or HOST:PORT)";
                return false;
            }

            registry = NormalizeRegistry(first);
            repository = name[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = name;
        }

        if (!RepositoryGrammar().IsMatch(repository))
        {
            error = $"'{text}': repository '{repository}' is not lower-case letters, digits and separators";
            return false;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
            repository = "library/" + repository;
        var tag = match.Groups["tag"] is { Success: true } t ? t.Value : null;
        var digest = match.Groups["digest"] is { Success: true } d ? d.Value : null;
        reference = new DockerImageReference(registry, repository, tag, digest);
        error = "";
        return true;
    }

    /// <summary>Whether <paramref name="text"/> names a registry as an operator writes it: <c>HOST</c> or
    /// <c>HOST:PORT</c>, without a scheme or a path.</summary>
    public static bool IsRegistryName(string? text) =>
        !string.IsNullOrEmpty(text) && RegistryGrammar().IsMatch(text);

    /// <summary>The form registries are compared in: lower case, Docker Hub's other names as <c>docker.io</c>.</summary>
    public static string NormalizeRegistry(string registry)
    {
        var lower = registry.ToLowerInvariant();
        // The engine sends these to the same registry (Docker Hub's index and its v2 endpoint).
        return lower is "index.docker.io" or "registry-1.docker.io" ? DockerHub : lower;
    }

    /// <summary>What the engine pulls: the reference written out in full, with <c>latest</c> where it names neither a
    /// tag nor a digest (without one the engine would pull every tag of the repository).</summary>
    public string PullName => $"{Registry}/{Repository}{(Tag is null && Digest is null ? ":latest" : Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    private static bool IsRegistry(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal)
        || component == "localhost" || component.Any(char.IsAsciiLetterUpper);

    // name (registry and path, checked in detail after the split), optional tag, optional digest
    // (algorithm ":" at least 32 hex digits), as in github.com/distribution/reference.
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9._:\[\]/-]*?)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    // path-component ("/" path-component)*, where a component is [a-z0-9]+ joined by ".", "_", "__" or dashes.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryGrammar();

    // A host name (labels of letters, digits and dashes), an IPv4 address or a bracketed IPv6 one, and an optional port.
    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryGrammar();
}
