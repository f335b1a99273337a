namespace Timeline.Cli;

/// <summary>What the tool's exit code means, so scripts can tell a refusal from an outage. Listed in <c>timeline --help</c>.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The service refused the request (a 4xx problem: invalid field, unknown instrument, conflict, version mismatch, wrong key); nothing was written.</summary>
    public const int Refused = 1;

    /// <summary>The command line was wrong (unknown option, malformed date, no key to write with): nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The service could not be reached (not running, wrong address, no answer in time).</summary>
    public const int Unreachable = 3;

    /// <summary>The audit chain does not verify (<c>timeline verify</c>).</summary>
    public const int VerificationFailed = 4;

    /// <summary>The service failed (a 5xx answer, or one that is not the API's).</summary>
    public const int ServiceFailed = 5;

    /// <summary>Interrupted (Ctrl+C) before the command finished; <c>timeline watch</c> ends with 0 instead.</summary>
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes:
          0    done
          1    the service refused the request (4xx: invalid field, unknown instrument, conflict, version mismatch, wrong key); nothing was written
          2    usage error (unknown option, malformed date, no key to write with); nothing was sent
          3    cannot reach the service (not running, wrong --server, no answer in time)
          4    the audit chain does not verify (timeline verify)
          5    the service failed (5xx, or an answer that is not the API's)
          130  interrupted (Ctrl+C); timeline watch ends with 0
        """;
}
