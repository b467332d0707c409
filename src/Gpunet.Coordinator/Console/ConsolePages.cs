using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Gpunet.Coordinator.Console;

/// <summary>The console's files (one page, its script modules and style sheet), embedded in the coordinator and
/// served at its root, so a coordinator anywhere serves its console with nothing to install or build.</summary>
/// <remarks>Every page runs under a strict content security policy: scripts and styles from this origin only (no
/// inline script, no eval), calls to this origin only, never framed. What a page shows comes from the same API with
/// the same bearer token, so the page can reach nothing the API would not give its user.</remarks>
internal static class ConsolePages
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static WebApplication UseConsolePages(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(ConsolePages).Assembly, "Console/wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = f =>
            {
                var headers = f.Context.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // A new coordinator's console is loaded at once, not a cached older one.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
