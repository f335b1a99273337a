using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timeline.Api.Tests.Security;

/// <summary>One line of HostileCorpus/corpus.jsonl (see generate.py there for the format), turned into the bytes sent.</summary>
internal sealed record HostileRequest(
    string Name,
    string Method,
    string Path,
    Dictionary<string, string>? Headers,
    string? Auth,
    string? Body,
    string? BodyBase64,
    string? Generate,
    bool Chunked,
    string? Raw,
    int? Status)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<HostileRequest> Corpus() =>
        [.. File.ReadLines(System.IO.Path.Combine(AppContext.BaseDirectory, "Security", "HostileCorpus", "corpus.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<HostileRequest>(line, Json)!)];

    /// <summary>The request as it goes on the wire, HTTP/1.1 with <c>Connection: close</c>, exactly as written (no normalising of the path).</summary>
    public byte[] Bytes(string host, string key)
    {
        if (Raw is not null)
        {
            return Encoding.UTF8.GetBytes(Raw.Replace("{host}", host, StringComparison.Ordinal).Replace("{key}", key, StringComparison.Ordinal));
        }

        var body = BodyBytes();
        var head = new StringBuilder($"{Method} {Path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        var headers = new Dictionary<string, string>(Headers ?? [], StringComparer.OrdinalIgnoreCase);
        switch (Auth ?? "key")
        {
            case "key":
                headers.TryAdd("X-Api-Key", key);
                break;
            case "wrong":
                headers["X-Api-Key"] = "wrong-key-for-the-corpus";
                break;
        }

        if (body is not null)
        {
            headers.TryAdd("Content-Type", "application/json");
            if (Chunked)
            {
                headers["Transfer-Encoding"] = "chunked";
            }
            else
            {
                headers["Content-Length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(head.ToString()));
        if (body is not null)
        {
            bytes.AddRange(Chunked ? ChunkedBytes(body) : body);
        }

        return [.. bytes];
    }

    private byte[]? BodyBytes()
    {
        if (Body is not null)
        {
            return Encoding.UTF8.GetBytes(Body);
        }

        if (BodyBase64 is not null)
        {
            return Convert.FromBase64String(BodyBase64);
        }

        if (Generate is null)
        {
            return null;
        }

        var (kind, size) = (Generate.Split(':')[0], int.Parse(Generate.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        return kind switch
        {
            "string" => JsonSerializer.SerializeToUtf8Bytes(Issue(("title", new string('A', size)))),
            "depth" => Encoding.UTF8.GetBytes(
                "{\"id\":\"hc-seed-a\",\"kind\":\"rule\",\"title\":\"t\",\"jurisdiction\":\"US\",\"topics\":[\"ai\"],\"effectiveAt\":\"2024-01-01\",\"provisions\":{\"k\":"
                + new string('[', size) + new string(']', size) + "}}"),
            "objects" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", size)) + "1" + new string('}', size)),
            "array" => JsonSerializer.SerializeToUtf8Bytes(Issue(("topics", new JsonArray([.. Enumerable.Range(0, size).Select(i => JsonValue.Create($"t{i}"))])))),
            _ => throw new InvalidOperationException($"{Name}: unknown generator '{Generate}'"),
        };
    }

    private static JsonObject Issue((string Field, JsonNode Value) field)
    {
        var body = new JsonObject
        {
            ["id"] = "hc-seed-a",
            ["kind"] = "executive-order",
            ["title"] = "Hostile",
            ["jurisdiction"] = "US",
            ["topics"] = new JsonArray("ai"),
            ["effectiveAt"] = "2024-01-01",
        };
        body[field.Field] = field.Value;
        return body;
    }

    private static IEnumerable<byte> ChunkedBytes(byte[] body)
    {
        const int Chunk = 64 * 1024;
        for (var offset = 0; offset < body.Length; offset += Chunk)
        {
            var length = Math.Min(Chunk, body.Length - offset);
            foreach (var b in Encoding.ASCII.GetBytes($"{length:x}\r\n"))
            {
                yield return b;
            }

            for (var i = 0; i < length; i++)
            {
                yield return body[offset + i];
            }

            yield return (byte)'\r';
            yield return (byte)'\n';
        }

        foreach (var b in "0\r\n\r\n"u8.ToArray())
        {
            yield return b;
        }
    }

    public override string ToString() => Name;
}
