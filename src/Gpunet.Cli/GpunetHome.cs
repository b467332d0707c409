using System.Text.Json;

namespace Gpunet.Cli;

/// <summary>The gpunet home directory (<c>$GPUNET_HOME</c>, default <c>~/.gpunet</c>): profiles and keys.</summary>
public sealed class GpunetHome(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path { get; } = path;

    /// <summary>From <c>$GPUNET_HOME</c>, else <c>~/.gpunet</c>.</summary>
    public static GpunetHome Current()
    {
        var env = Environment.GetEnvironmentVariable("GPUNET_HOME");
        return new GpunetHome(string.IsNullOrWhiteSpace(env)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gpunet")
            : env);
    }

    public string ProfilePath(string name) => System.IO.Path.Combine(Path, "profiles", name + ".json");

    public void SaveProfile(Profile profile, bool makeCurrent)
    {
        // Creates the profiles folder owner-only: a profile may hold the admin token.
        WritePrivate(ProfilePath(profile.Name), JsonSerializer.Serialize(profile, Json));
        if (makeCurrent)
            File.WriteAllText(System.IO.Path.Combine(Path, "current-profile"), profile.Name);
    }

    /// <summary>The named profile, else the current one; null when there is none.</summary>
    public Profile? LoadProfile(string? name = null)
    {
        name ??= CurrentProfileName();
        if (name is null)
            return null;
        var file = ProfilePath(name);
        if (!File.Exists(file))
            return null;
        try
        {
            return JsonSerializer.Deserialize<Profile>(File.ReadAllText(file), Json);
        }
        catch (JsonException e)
        {
            throw new CliException($"profile {file} is not valid JSON ({e.Message}); delete it or run gpunet devnet again");
        }
    }

    public string? CurrentProfileName()
    {
        var file = System.IO.Path.Combine(Path, "current-profile");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>Writes a file only its owner can read (keys, tokens).</summary>
    /// <remarks>A new file is created 0600 (in a folder created 0700), and an existing one narrowed before the secret
    /// is written, so it is never readable by others, not even for a moment.</remarks>
    public static void WritePrivate(string file, string content)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(file, content);
            return;
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Directory.CreateDirectory(folder, ownerOnly | UnixFileMode.UserExecute);
        if (File.Exists(file))
            File.SetUnixFileMode(file, ownerOnly);
        using var writer = new StreamWriter(new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = ownerOnly,
        }));
        writer.Write(content);
    }
}

/// <summary>How the CLI reaches a network: coordinator URL, operator token, and a customer key.</summary>
public sealed record Profile(string Name, string Coordinator, string? AdminToken, string? CustomerKeyFile, string? Network);
