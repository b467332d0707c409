using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>The store (KYC documents) and the token keys are readable by the coordinator's user only.</summary>
public sealed class OwnerOnlyFilesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Start_FreshDataDirectory_FolderAndStoreAndKeysOwnerOnly()
    {
        // Windows has no Unix modes; its ACLs are inherited from the parent folder.
        if (OperatingSystem.IsWindows())
            return;
        var data = Path.Combine(TestCoordinator.NewDataDir(), "fresh");
        await using var c = await TestCoordinator.StartAsync(dataDir: data);
        // Signing in mints a bearer token, which creates the token-protection key.
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1);

        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(data));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(data, "gpunet.db")));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(data, "gpunet.db-wal")));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(data, "gpunet.db-shm")));
        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(Path.Combine(data, "keys")));
        var keys = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
            Assert.Equal(File, System.IO.File.GetUnixFileMode(key));
    }

    [Fact]
    public async Task Start_StoreAndKeyFolderLeftWorldReadable_NarrowedToOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
            return;
        var data = TestCoordinator.NewDataDir();
        var db = Path.Combine(data, "gpunet.db");
        await using (await TestCoordinator.StartAsync(dataDir: data))
        {
        }

        System.IO.File.SetUnixFileMode(db, File | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        // A key folder an older version made with the umask.
        var keys = Path.Combine(data, "keys");
        System.IO.File.SetUnixFileMode(keys, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var again = await TestCoordinator.StartAsync(dataDir: data);
        Assert.Equal(File, System.IO.File.GetUnixFileMode(db));
        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(keys));
    }
}
