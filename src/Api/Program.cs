using System.Text.Json.Serialization;
using Coaching.Api.Auth;
using Coaching.Api.Endpoints;
using Coaching.Api.Errors;
using Coaching.Api.Health;
using Coaching.Api.Hosting;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Api.Telemetry;
using Coaching.Api.Web;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

var mode = builder.AddCoachingOrleans();
builder.Services.AddOptions<HttpLimitsOptions>().BindConfiguration(HttpLimitsOptions.Section)
    .Validate(o => o.MaxRequestBodyBytes > 0, "Coaching:Http:MaxRequestBodyBytes must be positive.").ValidateOnStart();
builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimitsOptions>>((kestrel, limits) =>
    kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddCoachingProblems();
builder.Services.AddCoachingAuth();
builder.Services.AddQuietTokenErrors(builder.Environment);
builder.Services.AddCoachingOpenApi();
builder.Services.AddCoachingHealth();
builder.AddApiTelemetry();
builder.Services.AddCoachingRateLimits();
builder.Services.AddLiveStreams();
builder.AddCoachingConsole(mode);

var app = builder.Build();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestBodyLimit>();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/reference").AllowAnonymous();
app.MapCoachingHealth();
app.MapOperations();
// Every API route: path ids keep the id rule; requests turned away while silos come and go are tried again before
// the client sees it.
var routes = app.MapGroup("").AddEndpointFilter<PathIds>().AddEndpointFilter<TransientClusterRetry>();
routes.MapEvents();
// Every other route spends the caller's request budget; ingestion has its own.
var people = routes.MapGroup("").RequireRateLimiting(RateLimits.User);
people.MapDirectory();
people.MapNotifications();
people.MapOpportunities();
people.MapAssessments();
people.MapSurveyRequests();
people.MapSessions();
app.MapCoachingConsole();

app.Run();

/// <summary>The API's entry point; public so tests can host it.</summary>
public partial class Program;
