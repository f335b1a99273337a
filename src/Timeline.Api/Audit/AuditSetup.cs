namespace Timeline.Api.Audit;

/// <summary>Registers the audit capability: the chain the write path extends, its verification, signed checkpoints.</summary>
public static class AuditSetup
{
    public static IHostApplicationBuilder AddTimelineAudit(this IHostApplicationBuilder builder, string? generatedKeyFile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AuditLogReader>();
        builder.Services.AddSingleton<AuditChain>();
        builder.Services.AddSingleton<AuditVerifier>();
        builder.Services.AddSingleton<CheckpointStore>();
        builder.Services.AddSingleton<Reports.AuditReportBuilder>();
        builder.Services.AddHostedService<AuditChainBackfill>();
        var keyFile = builder.Configuration[CheckpointSigner.KeyFileSetting];
        builder.Services.AddSingleton(services => new CheckpointSigner(
            keyFile ?? generatedKeyFile,
            createIfMissing: keyFile is null,
            services.GetRequiredService<ILogger<CheckpointSigner>>()));
        return builder;
    }
}
