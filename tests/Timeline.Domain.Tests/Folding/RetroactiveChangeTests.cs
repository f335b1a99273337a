using Timeline.Domain.Issuing;
using Timeline.Domain.Policies;
using static Timeline.Domain.Tests.Commands;

namespace Timeline.Domain.Tests.Folding;

/// <summary>TIME-MODEL.md, edge cases: changes recorded after the time they apply from.</summary>
public class RetroactiveChangeTests
{
    /// <summary>"An amendment recorded after another but effective before it": the fold orders by effective time, not append order.</summary>
    [Fact]
    public void AnAmendmentRecordedAfterAnotherButEffectiveBeforeIt_AppliesFirst_AsOfAfterItWasRecorded()
    {
        var history = new RecordedHistory()
            .Record("2025-01-01T16:00:00Z", Issue("us-eo-1", "2025-01-01", ("rate", 1)))
            .Record("2025-02-01T16:00:00Z", Amend("us-eo-1", "2025-06-01", ("rate", 3)))
            .Record("2025-04-01T16:00:00Z", Amend("us-eo-1", "2025-03-01", ("rate", 2)));

        // As of after both were recorded: 1, then 2 from March 1, then 3 from June 1.
        history.Expect("us-eo-1", "2025-02-28", "2025-04-01", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-03-01", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-03-02", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-05-31", "2025-04-01", PolicyStatus.InForce, ("rate", 2));
        history.Expect("us-eo-1", "2025-06-01", "2025-04-01", PolicyStatus.InForce, ("rate", 3));
        history.Expect("us-eo-1", "2025-06-02", "2025-04-01", PolicyStatus.InForce, ("rate", 3));

        // As of before the earlier-effective one was recorded, March knew nothing of it.
        history.Expect("us-eo-1", "2025-03-01", "2025-03-31", PolicyStatus.InForce, ("rate", 1));
        history.Expect("us-eo-1", "2025-06-01", "2025-03-31", PolicyStatus.InForce, ("rate", 3));

        // As of before either amendment was recorded.
        history.Expect("us-eo-1", "2025-06-01", "2025-01-31", PolicyStatus.InForce, ("rate", 1));
    }

    /// <summary>
    /// "A retroactive rescission: as of before it was recorded, the instrument is still in force on that
    /// day; as of after, it is rescinded from its effective time."
    /// </summary>
    [Fact]
    public void ARetroactiveRescission_IsInForceAsOfBeforeItsRecording_AndRescindedFromItsEffectiveTimeAsOfAfter()
    {
        var history = new RecordedHistory()
            .Record("2023-10-30T20:00:00Z", Issue("us-eo-14110", "2023-10-30", ("reporting-threshold-flops", "1e26")))
            .Record("2025-02-15T16:00:00Z", Rescind("us-eo-14110", "2025-01-20", by: "us-eo-14148"));

        foreach (var day in new[] { "2025-01-19", "2025-01-20", "2025-01-21" })
        {
            history.Expect("us-eo-14110", day, "2025-02-14", PolicyStatus.InForce, ("reporting-threshold-flops", "1e26"));
        }

        history.Expect("us-eo-14110", "2025-01-19", "2025-02-15", PolicyStatus.InForce, ("reporting-threshold-flops", "1e26"));
        history.Expect("us-eo-14110", "2025-01-20", "2025-02-15", PolicyStatus.Rescinded, ("reporting-threshold-flops", "1e26"));
        history.Expect("us-eo-14110", "2025-01-21", "2025-02-15", PolicyStatus.Rescinded, ("reporting-threshold-flops", "1e26"));
        Assert.Equal("us-eo-14148", history.On("us-eo-14110", "2025-01-21", "2025-02-15")!.State.RescindedBy);

        // Exactly at the recording: asOf is inclusive.
        Assert.Equal(PolicyStatus.InForce, history.On("us-eo-14110", "2025-01-21", "2025-02-15T15:59:59.999999Z")!.Status);
        Assert.Equal(PolicyStatus.Rescinded, history.On("us-eo-14110", "2025-01-21", "2025-02-15T16:00:00Z")!.Status);
    }

    /// <summary>A rescission written by the rescinding instrument's issue, recorded days after it took effect.</summary>
    [Fact]
    public void ARescissionByAnotherInstrumentsIssue_RescindsFromThatInstrumentsEffectiveTime_AsOfItsRecording()
    {
        var history = new RecordedHistory()
            .Record("2023-10-30T20:00:00Z", Issue("us-eo-14110", "2023-10-30"))
            .Record("2025-01-28T15:00:00Z", Issue("us-eo-14148", "2025-01-20") with { Rescinds = ["us-eo-14110"] });

        history.Expect("us-eo-14110", "2025-01-20", "2025-01-27", PolicyStatus.InForce);
        history.Expect("us-eo-14110", "2025-01-19", "2025-01-28", PolicyStatus.InForce);
        history.Expect("us-eo-14110", "2025-01-20", "2025-01-28", PolicyStatus.Rescinded);
        history.Expect("us-eo-14148", "2025-01-20", "2025-01-28", PolicyStatus.InForce);
    }

    /// <summary>"A rule published after the day it took effect": unknown before it is recorded, in force from its effective day after.</summary>
    [Fact]
    public void ARulePublishedAfterTheDayItTookEffect_IsUnknownAsOfBeforeItsRecording_AndInForceFromThatDayAsOfAfter()
    {
        var history = new RecordedHistory()
            .Record("2022-10-13T14:00:00Z", new IssuePolicy(
                "us-bis-2022-10-07-advanced-computing", "rule", "Advanced computing and semiconductor manufacturing items", "US",
                ["export-controls"], "2022-10-07", PublishedOn: "2022-10-13", Provisions: Provisions(("tpp-threshold", 4800))));

        Assert.Null(history.On("us-bis-2022-10-07-advanced-computing", "2022-10-07", "2022-10-12"));
        Assert.Null(history.On("us-bis-2022-10-07-advanced-computing", "2022-10-07", "2022-10-13T13:59:59.999999Z"));

        history.Expect("us-bis-2022-10-07-advanced-computing", "2022-10-06", "2022-10-13", PolicyStatus.Pending, ("tpp-threshold", 4800));
        history.Expect("us-bis-2022-10-07-advanced-computing", "2022-10-07", "2022-10-13", PolicyStatus.InForce, ("tpp-threshold", 4800));
        history.Expect("us-bis-2022-10-07-advanced-computing", "2022-10-08", "2022-10-13", PolicyStatus.InForce, ("tpp-threshold", 4800));
    }

    /// <summary>The instruments that amended one are part of its state from each amendment's effective time, each named once.</summary>
    [Fact]
    public void AmendmentsByOtherInstruments_NameTheirAmenders_InEffectiveOrder_EachOnce()
    {
        var history = new RecordedHistory()
            .Record("2022-10-07T16:00:00Z", Issue("us-bis-1", "2022-10-21"))
            .Record("2023-10-17T16:00:00Z", Amend("us-bis-1", "2023-11-17", ("tpp", 4800)) with { ByPolicyId = "us-bis-2" })
            .Record("2024-12-02T16:00:00Z", Amend("us-bis-1", "2024-12-02", ("hbm", true)) with { ByPolicyId = "us-bis-3" })
            .Record("2025-01-02T16:00:00Z", Amend("us-bis-1", "2025-01-02", ("tpp", 4000)) with { ByPolicyId = "us-bis-2" });

        Assert.Empty(history.On("us-bis-1", "2023-11-16", "2025-02-01")!.State.AmendedBy);
        Assert.Equal(["us-bis-2"], history.On("us-bis-1", "2023-11-17", "2025-02-01")!.State.AmendedBy);
        Assert.Equal(["us-bis-2", "us-bis-3"], history.On("us-bis-1", "2025-01-02", "2025-02-01")!.State.AmendedBy);
        Assert.Equal(["us-bis-2"], history.On("us-bis-1", "2025-01-02", "2024-01-01")!.State.AmendedBy);
    }
}
