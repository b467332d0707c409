using System.ComponentModel;
using System.Text.Json;
using Gpunet.Core.Identity;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet keys new [--out FILE] [--json]</c>: a new wallet key.</summary>
internal sealed class KeysNewCommand : Command<KeysNewCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <FILE>")]
        [Description("Write the private key here (mode 600); without it, the key is printed")]
        public string? Out { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON for scripts")]
        public bool Json { get; init; }

        [CommandOption("--force")]
        [Description("Overwrite an existing key file")]
        public bool Force { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Out is not null && File.Exists(settings.Out) && !settings.Force)
            throw new CliException($"{settings.Out} already exists; pass --force to overwrite it (the old key is lost)");
        var wallet = Wallet.Create();
        if (settings.Out is not null)
            GpunetHome.WritePrivate(settings.Out, wallet.PrivateKeyHex + "\n");

        if (settings.Json)
        {
            var o = settings.Out is null
                ? (object)new { address = wallet.Address.Value, privateKey = wallet.PrivateKeyHex }
                : new { address = wallet.Address.Value, keyFile = Path.GetFullPath(settings.Out) };
            Console.WriteLine(JsonSerializer.Serialize(o));
        }
        else if (settings.Out is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{wallet.Address.Value}[/]  key saved to {Path.GetFullPath(settings.Out)}");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"address      [green]{wallet.Address.Value}[/]");
            AnsiConsole.MarkupLineInterpolated($"private key  {wallet.PrivateKeyHex}  [grey](keep it secret; --out FILE saves it instead)[/]");
        }

        return 0;
    }
}
