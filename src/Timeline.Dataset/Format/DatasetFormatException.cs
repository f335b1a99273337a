namespace Timeline.Dataset.Format;

/// <summary>The dataset's files do not read as the format says; every problem found is listed.</summary>
public sealed class DatasetFormatException(IReadOnlyList<string> problems)
    : Exception("The dataset is malformed:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
