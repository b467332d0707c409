using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>The store (KYC documents, and the token keys: see <c>SharedSessionsTests</c>) is readable by the coordinator's
/// user only.</summary>
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
        // Signing in mints a bearer token with the token-protection key, which is kept in the store, not beside it.
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1);

        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(data));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(data, "gpunet.db")));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(data, "gpunet.db-wal")));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(data, "gpunet.db-shm")));
        Assert.Equal([Path.Combine(data, "gpunet.db"), Path.Combine(data, "gpunet.db-shm"), Path.Combine(data, "gpunet.db-wal")],
            Directory.GetFileSystemEntries(data).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Start_StoreLeftWorldReadable_NarrowedToOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
            return;
        var data = TestCoordinator.NewDataDir();
        var db = Path.Combine(data, "gpunet.db");
        await using (await TestCoordinator.StartAsync(dataDir: data))
        {
        }

        System.IO.File.SetUnixFileMode(db, File | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var again = await TestCoordinator.StartAsync(dataDir: data);
        Assert.Equal(File, System.IO.File.GetUnixFileMode(db));
    }
}
