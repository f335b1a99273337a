namespace Timeline.Domain.Decisions;

/// <summary>Collects the messages about invalid fields, keyed by their JSON names.</summary>
/// <param name="prefix">Put before every field name, e.g. <c>changes.</c> for the fields a correction names.</param>
public sealed class FieldErrors(string prefix = "")
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        field = field.Length == 0 ? prefix.TrimEnd('.') : prefix + field;
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public Rejection ToRejection() => Rejection.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
