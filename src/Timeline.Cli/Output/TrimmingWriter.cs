using System.Text;

namespace Timeline.Cli.Output;

/// <summary>
/// Passes text on a line at a time without the trailing spaces a table pads its cells with, so plain output
/// greps and diffs cleanly. A line is passed on when it ends.
/// </summary>
internal sealed class TrimmingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            var end = _line.Length;
            while (end > 0 && _line[end - 1] is ' ' or '\r')
            {
                end--;
            }

            inner.Write(_line.ToString(0, end));
            inner.Write('\n');
            _line.Clear();
            return;
        }

        _line.Append(value);
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override void Flush() => inner.Flush();
}
