namespace Timeline.Domain.Policies;

/// <summary>An instrument as it stood at one effective time, as of one record time.</summary>
public sealed record PolicySnapshot(PolicyState State, PolicyStatus Status);
