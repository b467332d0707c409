namespace Gpunet.Coordinator.Storage;

/// <summary>Creates the coordinator's files readable by its own user only: the store holds KYC documents, the key
/// folder the keys that sign bearer tokens.</summary>
/// <remarks>Folders 0700, files 0600, set when they are created rather than after, so there is no moment in which
/// another user could open them. No-ops on Windows, whose ACLs follow the parent folder.</remarks>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700; an existing folder is left as it is (it
    /// may be one the operator chose, such as a home directory).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, Folder);
    }

    /// <summary>Creates an empty <paramref name="path"/> as 0600, or takes group and other access away from an existing
    /// one (a store written by an older version).</summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = File }))
            {
            }
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            Restrict(path);
        }
    }

    /// <summary>Takes group and other access away from <paramref name="path"/>, if it exists.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path))
            return;
        var mode = System.IO.File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) == 0)
            return;
        try
        {
            System.IO.File.SetUnixFileMode(path, mode & ~GroupOrOther);
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's file that this one may write (a shared group): its owner decides who reads it.
        }
    }
}
