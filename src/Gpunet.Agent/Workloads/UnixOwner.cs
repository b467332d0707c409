using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Gpunet.Agent.Workloads;

/// <summary>Changes who owns a file, which .NET has no API for.</summary>
internal static partial class UnixOwner
{
    /// <summary>Gives <paramref name="path"/> (itself, never a link's target) to <paramref name="uid"/> and its group
    /// <paramref name="gid"/>; throws <see cref="Win32Exception"/> with the system's reason when it cannot.</summary>
    public static void Set(string path, int uid, int gid)
    {
        if (LChown(path, uid, gid) != 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"could not give {path} to uid {uid}");
    }

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, int owner, int group);
}
