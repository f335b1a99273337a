namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// The embedded PostgreSQL could not be prepared, started or stopped. The message says what failed and
/// carries the output of the step, so it can be shown to the operator as is.
/// </summary>
internal class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
