namespace Gpunet.Cli.Doctor;

/// <summary>Free space where the agent keeps its work.</summary>
internal interface IDiskProbe
{
    /// <summary>Bytes free to this user in the file system holding <paramref name="path"/> (or its nearest existing
    /// parent, since the agent creates its folders); null when it cannot be read.</summary>
    long? FreeBytes(string path);
}
