using Timeline.Subscriber;

// Settings: environment variables (Subscriber__RabbitMq, Subscriber__Bindings__0, ...) or the command line
// (--Subscriber:Bindings:0=us.export-controls.#); see SubscriberOptions and the README.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
builder.AddTimelineSubscriber();
await builder.Build().RunAsync();
