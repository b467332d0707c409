using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet login [--web] [--operator]</c>: signs in and says as whom; with <c>--web</c>, prints a one-time link
/// that signs a browser into the console as the same wallet (or, with <c>--operator</c>, as the network operator).</summary>
internal sealed class LoginCommand : AsyncCommand<LoginCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--web")]
        [Description("Print a one-time link that opens the web console signed in (it works once, for a few minutes)")]
        public bool Web { get; init; }

        [CommandOption("--operator")]
        [Description("Sign in with the profile's admin token instead of its customer key: the console's operator and officer pages")]
        public bool Operator { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: !settings.Operator);
        var me = await client.GetAsync<WhoAmI>("/api/v1/me", cancellationToken);
        var link = settings.Web ? await client.PostAsync<ConsoleLinkView>("/api/v1/auth/console-links", null, cancellationToken) : null;
        if (settings.Json)
        {
            Render.Json(new { me.Role, me.Address, Link = link?.Url, link?.ExpiresAt });
            return 0;
        }

        AnsiConsole.MarkupLine($"Signed in to {Markup.Escape(client.BaseUri.ToString())} as [bold]{Markup.Escape(me.Address ?? "the network operator")}[/] ({Markup.Escape(me.Role)})");
        if (link is not null)
        {
            AnsiConsole.MarkupLine($"Open the console (the link works once, until {link.ExpiresAt.ToLocalTime():HH:mm:ss}):");
            // Plain, so a terminal can make it a link and a script can read it.
            System.Console.WriteLine(link.Url);
        }

        return 0;
    }
}
