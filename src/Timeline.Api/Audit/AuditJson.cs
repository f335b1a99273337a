using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Timeline.Api.Audit;

/// <summary>
/// The canonical JSON of the audit chain (docs/audit.md): no whitespace; object members ordered by name,
/// compared as UTF-16 code units; strings with only <c>"</c>, <c>\</c> and control characters escaped
/// (<c>\b \f \n \r \t</c>, else <c>\u00xx</c> in lower-case hex), everything else as UTF-8; numbers exactly
/// as written in the log (PostgreSQL writes them in plain decimal); <c>true</c>, <c>false</c>, <c>null</c>.
/// Written by hand on purpose: it must not change when a serializer library is upgraded.
/// </summary>
public static class AuditJson
{
    public static void Write(StringBuilder text, JsonElement element)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    text.Append(first ? string.Empty : ",");
                    first = false;
                    WriteString(text, property.Name);
                    text.Append(':');
                    Write(text, property.Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    text.Append(index++ == 0 ? string.Empty : ",");
                    Write(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, element.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(element.GetRawText());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    public static void WriteString(StringBuilder text, string? value)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (value is null)
        {
            text.Append("null");
            return;
        }

        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
