using System.ComponentModel;
using System.Security.Cryptography;
using Gpunet.Cli.Client;
using Gpunet.Core.Ledger;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary>A wallet operation that moves money (<c>deposit</c>, <c>withdraw</c>, <c>stake</c>, <c>unstake</c>): one
/// transfer under an idempotency id, chosen here unless <c>--id</c> gives one, so a retried request moves money once.</summary>
internal abstract class WalletTransferCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : WalletTransferSettings
{
    /// <summary>The API path under <c>/api/v1/wallet/</c>.</summary>
    protected abstract string Operation { get; }

    protected virtual WalletRequest Request(TSettings s, string id) => new(ApiAmount(s.Amount), id);

    /// <summary>The amount as the API takes it (<c>.5</c> or <c> 0.50 </c> typed here goes as <c>0.5</c>); what does not
    /// read as an amount goes as typed, for the coordinator to say what is wrong with it.</summary>
    protected static string ApiAmount(string typed) => TokenAmount.TryParse(typed, out var amount) ? amount.ToString() : typed;

    public override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var id = settings.Id ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var done = await client.PostAsync<TransferView>($"/api/v1/wallet/{Operation}", Request(settings, id), cancellationToken);
        if (settings.Json)
            Render.Json(done);
        else
            AnsiConsole.MarkupLine($"{Markup.Escape(done.Code)} of [bold]{done.Amount}[/] tokens: {Markup.Escape(done.From)} → {Markup.Escape(done.To)}" +
                (done.Replayed ? " [grey](already done under this id; nothing moved again)[/]" : "") + $" [grey]id {done.Id}[/]");
        return 0;
    }
}

/// <summary>Options of every wallet transfer.</summary>
internal class WalletTransferSettings : ClientSettings
{
    [CommandArgument(0, "<AMOUNT>")]
    [Description("Tokens, e.g. 12.5 (up to 8 decimals)")]
    public string Amount { get; init; } = "";

    [CommandOption("--id <HEX32>")]
    [Description("Idempotency id (32 hex digits): the same id twice moves money once. Default a fresh one")]
    public string? Id { get; init; }
}

/// <summary>Options of stake and unstake: which host.</summary>
internal sealed class WalletHostSettings : WalletTransferSettings
{
    [CommandOption("--host <HOST>")]
    [Description("The host (host-…) whose stake this is; it must be yours")]
    public string? Host { get; init; }

    public override ValidationResult Validate() =>
        Host is null ? ValidationResult.Error("--host: name the host whose stake this is") : ValidationResult.Success();
}

/// <summary>Options of deposit: to whom (an operator recording a deposit).</summary>
internal sealed class WalletDepositSettings : WalletTransferSettings
{
    [CommandOption("--to <ADDRESS>")]
    [Description("Credit this address (the network operator recording a deposit); default your own wallet, from the faucet")]
    public string? To { get; init; }
}

/// <summary><c>gpunet wallet deposit AMOUNT [--to ADDRESS]</c>.</summary>
internal sealed class WalletDepositCommand : WalletTransferCommand<WalletDepositSettings>
{
    protected override string Operation => "deposit";

    protected override WalletRequest Request(WalletDepositSettings s, string id) => new(ApiAmount(s.Amount), id, To: s.To);
}

/// <summary><c>gpunet wallet withdraw AMOUNT</c>.</summary>
internal sealed class WalletWithdrawCommand : WalletTransferCommand<WalletTransferSettings>
{
    protected override string Operation => "withdraw";
}

/// <summary><c>gpunet wallet stake AMOUNT --host HOST</c>.</summary>
internal sealed class WalletStakeCommand : WalletTransferCommand<WalletHostSettings>
{
    protected override string Operation => "stake";

    protected override WalletRequest Request(WalletHostSettings s, string id) => new(ApiAmount(s.Amount), id, Host: s.Host);
}

/// <summary><c>gpunet wallet unstake AMOUNT --host HOST</c>.</summary>
internal sealed class WalletUnstakeCommand : WalletTransferCommand<WalletHostSettings>
{
    protected override string Operation => "unstake";

    protected override WalletRequest Request(WalletHostSettings s, string id) => new(ApiAmount(s.Amount), id, Host: s.Host);
}
