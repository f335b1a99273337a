namespace Timeline.Domain;
