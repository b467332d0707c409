using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet checkers grant ADDRESS [--reason R]</c> and <c>gpunet checkers revoke ADDRESS --reason R</c>: the
/// network operator admits a wallet as a checker, or stops admitting it.</summary>
internal sealed class CheckersGrantCommand : AsyncCommand<CheckersGrantCommand.Settings>
{
    public class Settings : ClientSettings
    {
        [CommandArgument(0, "<ADDRESS>")]
        [Description("The checker's wallet address (0x + 40 hex digits)")]
        public string Address { get; init; } = "";

        [CommandOption("--reason <TEXT>")]
        [Description("Why (at most 500 characters); kept on the licence and in the audit log")]
        public string? Reason { get; init; }

        public override ValidationResult Validate() =>
            !Core.Identity.Address.TryParse(Address, out _, out var error) ? ValidationResult.Error($"ADDRESS: {error}")
            : Reason is { Length: > 500 } ? ValidationResult.Error("--reason: at most 500 characters")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var licence = await client.PostAsync<CheckerLicenceView>("/api/v1/checkers", new LicenceRequest(settings.Address, settings.Reason), cancellationToken);
        CheckersRevokeCommand.Print(settings.Json, licence);
        return 0;
    }
}

/// <summary><c>gpunet checkers revoke ADDRESS --reason R</c>.</summary>
internal sealed class CheckersRevokeCommand : AsyncCommand<CheckersRevokeCommand.Settings>
{
    public sealed class Settings : CheckersGrantCommand.Settings
    {
        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason: a revocation needs a reason") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var licence = await client.PostAsync<CheckerLicenceView>($"/api/v1/checkers/{Uri.EscapeDataString(settings.Address)}/revoke",
            new RevocationRequest(settings.Reason), cancellationToken);
        Print(settings.Json, licence);
        return 0;
    }

    internal static void Print(bool json, CheckerLicenceView licence)
    {
        if (json)
        {
            Render.Json(licence);
            return;
        }

        var t = new Table().RoundedBorder().AddColumns("address", "state", "granted (UTC)", "revoked (UTC)", "reason", "this week");
        CheckersCommand.Row(t, licence);
        AnsiConsole.Write(t);
    }
}
