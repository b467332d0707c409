using System.Xml.Linq;
using Gpunet.Coordinator.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Gpunet.Coordinator.Auth;

/// <summary>Keeps the token-protection keys as the framework's file repository does, in a 0700 folder with each key
/// file 0600: whoever reads a key can forge any bearer token.</summary>
internal sealed class OwnerOnlyKeyRepository : IXmlRepository
{
    private readonly DirectoryInfo _folder;
    private readonly FileSystemXmlRepository _files;

    public OwnerOnlyKeyRepository(DirectoryInfo folder, ILoggerFactory loggers)
    {
        OwnerOnlyFiles.CreateFolder(folder.FullName);
        // The key folder is the coordinator's own (not one the operator chose): one an older version made 0755 is narrowed.
        OwnerOnlyFiles.Restrict(folder.FullName);
        _folder = folder;
        _files = new FileSystemXmlRepository(folder, loggers);
        RestrictAll();
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        // The framework writes with the process's umask; its folder (0700) keeps others out until this narrows the file.
        RestrictAll();
    }

    private void RestrictAll()
    {
        foreach (var file in _folder.EnumerateFiles("*.xml"))
            OwnerOnlyFiles.Restrict(file.FullName);
    }
}
