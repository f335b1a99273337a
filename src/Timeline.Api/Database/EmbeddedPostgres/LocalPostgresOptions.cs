namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>Where and how to run a local PostgreSQL cluster.</summary>
internal sealed record LocalPostgresOptions
{
    /// <summary>The cluster's data directory; created and initialised on first use, reused afterwards.
    /// The server log goes next to it, in <c>postgres.log</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Extra server settings, passed as <c>-c name=value</c> (e.g. <c>fsync=off</c> for tests).</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The loopback port to listen on; null picks a free one at each start. A fixed port lets a
    /// stopped cluster come back on the address its clients already have.</summary>
    public int? Port { get; init; }

    /// <summary>A PATH-style list of directories to look for the binaries in; null means the process's PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Where versioned installations live (<c>&lt;root&gt;/15/bin</c>), looked at when the search path has none.</summary>
    public string InstallRoot { get; init; } = PostgresBinaries.DefaultInstallRoot;

    /// <summary>How long pg_ctl waits for the server to accept connections, or to be gone after a stop.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
