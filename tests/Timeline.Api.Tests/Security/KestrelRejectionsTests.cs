using System.Text;
using System.Text.Json;
using Timeline.Api.Security;

namespace Timeline.Api.Tests.Security;

/// <summary>Which answers on their way out get a problem body: Kestrel's empty refusals only, never an application's answer.</summary>
public sealed class KestrelRejectionsTests
{
    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nDate: Mon, 30 Nov 2026 00:58:20 GMT\r\n\r\n", 400)]
    [InlineData("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Mon, 30 Nov 2026 00:58:20 GMT\r\n\r\n", 431)]
    [InlineData("HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 505)]
    public void An_empty_refusal_gets_a_problem_body_of_its_status_with_a_length_that_frames_it(string refusal, int status)
    {
        var rewritten = KestrelRejections.Rewrite(Encoding.ASCII.GetBytes(refusal));

        Assert.NotNull(rewritten);
        var text = Encoding.UTF8.GetString(rewritten);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split];
        var body = text[(split + 4)..];
        Assert.StartsWith(refusal[..12], head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/problem+json", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Length: 0", head, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close", head, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n{}")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("{\"status\":400}\r\n\r\n")]
    [InlineData("")]
    public void Anything_else_passes_unchanged(string written) =>
        Assert.Null(KestrelRejections.Rewrite(Encoding.UTF8.GetBytes(written)));
}
