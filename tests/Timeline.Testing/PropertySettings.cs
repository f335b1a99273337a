namespace Timeline.Testing;

/// <summary>
/// How many generated scripts each property checks: 200 by default. For a longer run set
/// TIMELINE_PROPERTY_ITERATIONS, e.g. <c>TIMELINE_PROPERTY_ITERATIONS=20000 dotnet test</c>.
/// A failure prints CsCheck's seed and the shrunk script with each command's outcome; run again with
/// the environment variable <c>CsCheck_Seed</c> set to that seed to replay it.
/// </summary>
public static class PropertySettings
{
    public const long DefaultIterations = 200;

    public static long Iterations { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("TIMELINE_PROPERTY_ITERATIONS"), out var iterations) && iterations > 0
            ? iterations
            : DefaultIterations;
}
