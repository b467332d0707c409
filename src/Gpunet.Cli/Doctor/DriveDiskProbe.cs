namespace Gpunet.Cli.Doctor;

/// <summary>Reads free space from the file system the path is on.</summary>
internal sealed class DriveDiskProbe : IDiskProbe
{
    public long? FreeBytes(string path)
    {
        var dir = new DirectoryInfo(Path.GetFullPath(path));
        while (dir is not null && !dir.Exists)
            dir = dir.Parent;
        if (dir is null)
            return null;
        try
        {
            // DriveInfo on Unix takes any path and reports the mount it is on (statvfs).
            return new DriveInfo(dir.FullName).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
