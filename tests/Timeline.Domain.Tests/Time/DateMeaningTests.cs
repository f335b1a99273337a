using Timeline.Domain.Decisions;
using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;
using Timeline.Testing;

namespace Timeline.Domain.Tests.Time;

/// <summary>
/// TIME-MODEL.md, "Dates": a query date means the end of that day in the legal zone (America/New_York);
/// a source date means the start of that day in the instrument's zone; a stated time is kept exactly.
/// </summary>
public class DateMeaningTests
{
    private static readonly NodaTime.DateTimeZone NewYork = TimeZones.Get("America/New_York");

    [Theory]
    [InlineData("2025-01-20", "2025-01-21T04:59:59.999999Z")] // EST, UTC-5
    [InlineData("2025-07-04", "2025-07-05T03:59:59.999999Z")] // EDT, UTC-4
    [InlineData("2025-03-08", "2025-03-09T04:59:59.999999Z")] // the day before daylight saving time starts
    [InlineData("2025-03-09", "2025-03-10T03:59:59.999999Z")] // a 23-hour day: ends on daylight time
    [InlineData("2025-11-01", "2025-11-02T03:59:59.999999Z")] // the day before it ends
    [InlineData("2025-11-02", "2025-11-03T04:59:59.999999Z")] // a 25-hour day: ends on standard time
    public void AQueryDate_MeansTheLastMicrosecondOfThatDayInNewYork(string date, string utc) =>
        Assert.Equal(At.Utc(utc), TimeInput.Parse(date).EndOfDayIn(NewYork));

    [Fact]
    public void AQueryDate_IncludesEveryChangeEffectiveOnThatDay_AndNothingOfTheNext()
    {
        var onTheDay = TimeInput.Parse("2025-01-20").EndOfDayIn(NewYork);

        Assert.True(At.Utc("2025-01-21T04:59:59.999999Z") <= onTheDay); // 11:59:59.999999 p.m. on the 20th in New York
        Assert.True(At.Utc("2025-01-21T05:00:00Z") > onTheDay); // midnight starting the 21st
    }

    [Theory]
    [InlineData("2025-01-20T17:00:00Z")]
    [InlineData("2025-09-21T00:01:00-04:00")]
    public void AQueryInstant_IsKeptExactly(string instant) =>
        Assert.Equal(At.Utc(instant), TimeInput.Parse(instant).EndOfDayIn(NewYork));

    [Theory]
    [InlineData("2023-11-17", "America/New_York", "2023-11-17T05:00:00Z")]
    [InlineData("2025-07-01", "America/New_York", "2025-07-01T04:00:00Z")]
    [InlineData("2025-03-09", "America/New_York", "2025-03-09T05:00:00Z")] // midnight exists; 2 a.m. is skipped
    [InlineData("2024-08-01", "Europe/Brussels", "2024-07-31T22:00:00Z")]
    [InlineData("2025-04-01", "Asia/Tokyo", "2025-03-31T15:00:00Z")]
    [InlineData("2025-04-01", "Asia/Kolkata", "2025-03-31T18:30:00Z")]
    [InlineData("2025-04-01", "Etc/UTC", "2025-04-01T00:00:00Z")]
    [InlineData("2018-11-04", "America/Sao_Paulo", "2018-11-04T03:00:00Z")] // clocks jumped from midnight to 1 a.m.: the day starts at 1 a.m.
    public void ASourceDate_MeansTheStartOfThatDayInTheInstrumentsZone(string date, string zone, string utc) =>
        Assert.Equal(At.Utc(utc), TimeInput.Parse(date).StartOfDayIn(TimeZones.Get(zone)));

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Tokyo")]
    public void AStatedTime_IsKeptExactlyWhateverTheInstrumentsZone(string zone) =>
        Assert.Equal(At.Utc("2025-09-21T04:01:00Z"), TimeInput.Parse("2025-09-21T00:01:00-04:00").StartOfDayIn(TimeZones.Get(zone)));

    [Theory]
    [InlineData("US", null, "2025-10-01T04:00:00Z")]
    [InlineData("EU", null, "2025-09-30T22:00:00Z")]
    [InlineData("GB", null, "2025-09-30T23:00:00Z")]
    [InlineData("JP", null, "2025-09-30T15:00:00Z")]
    [InlineData("US", "America/Los_Angeles", "2025-10-01T07:00:00Z")]
    [InlineData("IN", "Asia/Kolkata", "2025-09-30T18:30:00Z")]
    public void AnIssuedDate_IsTheStartOfThatDayInTheJurisdictionsZone_OrTheZoneTheInstrumentNames(string jurisdiction, string? zone, string utc)
    {
        var decision = new InMemoryPolicyLog().Execute(
            new IssuePolicy("p-1", "rule", "A rule", jurisdiction, ["trade"], "2025-10-01", zone),
            At.Utc("2025-09-01T00:00:00Z"));

        Assert.Equal(At.Utc(utc), Assert.IsType<PolicyIssued>(Assert.Single(decision.Events).Data).EffectiveAt);
    }

    [Fact]
    public void AnAmendmentDate_IsTheStartOfThatDayInTheZoneItsInstrumentWasIssuedIn()
    {
        var log = new InMemoryPolicyLog();
        log.Execute(new IssuePolicy("eu-ai-act", "statute", "AI Act", "EU", ["ai"], "2024-08-01"), At.Utc("2024-08-01T10:00:00Z"));

        var decision = log.Execute(Commands.Amend("eu-ai-act", "2025-08-02", ("gpai-obligations", true)), At.Utc("2024-09-01T10:00:00Z"));

        Assert.Equal(At.Utc("2025-08-01T22:00:00Z"), Assert.IsType<PolicyAmended>(Assert.Single(decision.Events).Data).EffectiveAt);
    }

    [Fact]
    public void TheH1bProclamationsStatedTime_IsKeptExactly_WhenIssued()
    {
        // "12:01 a.m. eastern daylight time on September 21, 2025".
        var decision = new InMemoryPolicyLog().Execute(
            Commands.Issue("us-proc-h1b", "2025-09-21T00:01:00-04:00"), At.Utc("2025-09-20T12:00:00Z"));

        Assert.Null(decision.Rejection);
        Assert.Equal(At.Utc("2025-09-21T04:01:00Z"), Assert.IsType<PolicyIssued>(decision.Events[0].Data).EffectiveAt);
    }

    [Fact]
    public void AnUnknownZone_IsRejectedAsInvalid() =>
        Assert.Equal(
            RejectionKind.Invalid,
            new InMemoryPolicyLog().Execute(Commands.Issue("p-1", "2025-10-01") with { TimeZone = "EST5EDT/Nowhere" }, At.Utc("2025-09-01T00:00:00Z")).Rejection?.Kind);
}
