using Npgsql;
using Timeline.Api.ReadModel;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// The writer sends each row's topics as the text of an array, cast back by PostgreSQL: whatever a topic holds, the
/// cast gives the same elements back (topics are slugs today; the literal must not depend on it).
/// </summary>
public sealed class ArrayLiteralTests(TimelineApp app) : ApiTest(app)
{
    public static TheoryData<string[]> Arrays() => new(
        [],
        ["export-controls"],
        ["export-controls", "visas", "semiconductors"],
        ["with \"quotes\"", "back\\slash", "comma, and {braces}", "NULL", " padded ", "ünïcödé", ""]);

    [Theory]
    [MemberData(nameof(Arrays))]
    public async Task PostgreSQL_reads_the_literal_back_as_the_same_elements(string[] values)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select @literal::text[]", connection);
        command.Parameters.AddWithValue("literal", ReadModelWriter.ArrayLiteral(values));

        var read = (string[])(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(values, read);
    }
}
