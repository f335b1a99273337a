using Timeline.Subscriber;

// Settings: appsettings.json beside the binary, environment variables (Subscriber__RabbitMq, Subscriber__Bindings__0, ...)
// and the command line (--Subscriber:Bindings:0=us.export-controls.#).
var builder = Host.CreateApplicationBuilder(args);
builder.AddTimelineSubscriber();
await builder.Build().RunAsync();
