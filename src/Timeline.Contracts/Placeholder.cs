namespace Timeline.Contracts;
