using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Gpunet.Coordinator.Edge;

/// <summary>Answers a request the framework could not read (malformed JSON, a value of the wrong type, a missing
/// body, too large a body) with a problem that names the field, logged at Information without a stack trace.</summary>
/// <remarks>These are the client's mistakes, not the server's: logged as errors, anyone could flood the log, and the
/// framework's own texts name the server's .NET types. Handled here, the exception handler middleware records no
/// diagnostics for them (its default for an exception an <see cref="IExceptionHandler"/> handled).</remarks>
internal sealed partial class ClientErrorHandler(IProblemDetailsService problems, ILogger<ClientErrorHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        if (exception is BadHttpRequestException bad)
            status = bad.StatusCode;
        else if (exception is JsonException)
            status = StatusCodes.Status400BadRequest;
        else
            return false;
        if (http.Response.HasStarted)
            return false;

        // The body's declared type says what a field should hold (the framework's text names the enclosing type).
        var body = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        var (field, detail) = ClientErrorText.Describe(exception, body);
        LogRefused(log, http.Request.Method, http.Request.Path.ToString(), status, detail);
        http.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status400BadRequest ? "Invalid request" : null,
            Detail = detail,
        };
        if (field is not null)
            problem.Extensions["field"] = field;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Status} {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string detail);
}
