using Gpunet.Core.Identity;

namespace Gpunet.Cli;

/// <summary>Key files: one line, the private key as 0x-prefixed hex.</summary>
public static class Keys
{
    public static Wallet Load(string file)
    {
        if (!File.Exists(file))
            throw new CliException($"key file {file} does not exist; create one with: gpunet keys new --out {file}");
        try
        {
            return Wallet.FromPrivateKey(File.ReadAllText(file).Trim());
        }
        catch (FormatException e)
        {
            throw new CliException($"key file {file}: {e.Message}");
        }
    }

    public static Wallet LoadOrCreate(string file)
    {
        if (File.Exists(file))
            return Load(file);
        var wallet = Wallet.Create();
        GpunetHome.WritePrivate(file, wallet.PrivateKeyHex + "\n");
        return wallet;
    }
}
