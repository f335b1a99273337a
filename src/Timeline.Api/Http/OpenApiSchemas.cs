using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Timeline.Domain.Policies;

namespace Timeline.Api.Http;

/// <summary>What the generator cannot infer: the provisions and confidence schemas (custom converters) and the API key that writes need.</summary>
public static class OpenApiSchemas
{
    private const string ApiKeyScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    public static OpenApiOptions DescribeDomainTypes(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(Provisions))
            {
                schema.Type = JsonSchemaType.Object;
                schema.Description = "Provision keys (lower-case words joined by '.', '-' or '_') to JSON values: numbers, strings, lists, objects.";
                schema.AdditionalPropertiesAllowed = true;
            }
            else if (context.JsonTypeInfo.Type == typeof(Confidence))
            {
                schema.Description = "How well sourced: `level` (verified, secondary or unverified) for everything `fields` does not name; "
                    + "`fields` maps field names (`publishedOn`, `provisions.<key>`, `status`) to their own level.";
            }

            return Task.CompletedTask;
        });
        options.AddDocumentTransformer(async (document, context, _) =>
        {
            document.Info.Title = "Timeline API";
            document.Info.Description = "What policy was in force on any date, as the record stood on any date. Both clocks: `at` (effective time) and `asOf` (record time).";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Auth.ApiKeyAuthenticationHandler.HeaderName,
                Description = "Writes need a key from Timeline:ApiKeys or TIMELINE_API_KEY (the embedded default saves one in .timeline/api-key).",
            };
            if (await BearerConfiguredAsync(context.ApplicationServices))
            {
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = $"Or a token from the configured issuer; writes need the scope {Auth.Callers.WriteScope}.",
                };
            }
        });
        options.AddOperationTransformer(async (operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
                if (await BearerConfiguredAsync(context.ApplicationServices))
                {
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [Auth.Callers.WriteScope] });
                }
            }
        });
        return options;
    }

    private static async Task<bool> BearerConfiguredAsync(IServiceProvider services) =>
        await services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>().GetSchemeAsync(BearerScheme) is not null;
}
