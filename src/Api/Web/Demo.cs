using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Coaching.Api.Auth;
using Coaching.Api.Endpoints;
using Coaching.Api.Hosting;
using Coaching.Assessments;
using Coaching.Pipeline;
using Microsoft.Extensions.Options;

namespace Coaching.Api.Web;

/// <summary>The <c>Coaching:Demo</c> section.</summary>
public sealed class DemoOptions
{
    public const string Section = "Coaching:Demo";

    /// <summary>Seed the demo organisation. Null: only in the embedded default without a connection string.</summary>
    public bool? Seed { get; set; }
}

/// <summary>
/// A small demo organisation, so a newcomer who runs the embedded default and opens the console has something to
/// work with: a supervisor, two coaches in a coach group, four agents in two teams, an admin, two coaching areas, the
/// two surveys and the seed's opportunity. Written through the API's own handlers, with their checks.
/// </summary>
public static class Demo
{
    public const string Table = "incident";
    public const string Admin = "admin";
    public const string Supervisor = "sup-maria";
    public const string CoachGroup = "coaches";
    public static readonly string[] Coaches = ["coach-ana", "coach-ben"];
    public static readonly string[] TeamRed = ["agent-chris", "agent-dana"];
    public static readonly string[] TeamBlue = ["agent-eli", "agent-fay"];
    public static readonly string[] Agents = [.. TeamRed, .. TeamBlue];
    public const string OpportunityName = "Incident Process: Coaching on Incident Reassignment";

    private static readonly (string Id, string Name)[] People =
    [
        (Admin, "Alex Admin"), (Supervisor, "Maria Lopez"), ("coach-ana", "Ana Coach"), ("coach-ben", "Ben Coach"),
        ("agent-chris", "Chris Agent"), ("agent-dana", "Dana Agent"), ("agent-eli", "Eli Agent"), ("agent-fay", "Fay Agent"),
    ];

    /// <summary>Whether this host seeds: asked for, or the embedded default without a connection string.</summary>
    public static bool ShouldSeed(DemoOptions options, HostingMode mode, bool durable) =>
        options.Seed ?? (mode == HostingMode.Embedded && !durable);

    public static async Task Seed(IGrainFactory grains, DirectoryAccess access, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        foreach (var (id, name) in People)
        {
            Expect(await DirectoryEndpoints.PutUser(id, new(name, $"{id}@demo.example", true), grains, access), "user " + id);
        }

        Expect(await DirectoryEndpoints.PutGroup(CoachGroup, new("Coaches", [.. Coaches]), grains), "group " + CoachGroup);
        Expect(await DirectoryEndpoints.PutGroup("team-red", new("Team Red", [.. TeamRed]), grains), "group team-red");
        Expect(await DirectoryEndpoints.PutGroup("team-blue", new("Team Blue", [.. TeamBlue]), grains), "group team-blue");
        Expect(await DirectoryEndpoints.PutArea("call-handling", new("Call handling"), grains), "area call-handling");
        Expect(await DirectoryEndpoints.PutArea("incident-process", new("Incident process"), grains), "area incident-process");
        Expect(await DirectoryEndpoints.PutSurvey("trainee-assessment", new("Trainee assessment",
            [new("q1", "How well did the agent follow the process?", SurveyQuestionType.Rating), new("q2", "What should the agent keep doing?", SurveyQuestionType.Text)]), grains),
            "survey trainee-assessment");
        Expect(await DirectoryEndpoints.PutSurvey("coach-effectiveness", new("Coach effectiveness",
            [new("q1", "How useful was the coaching?", SurveyQuestionType.Rating), new("q2", "What would have helped more?", SurveyQuestionType.Text)]), grains),
            "survey coach-effectiveness");

        var existing = await OpportunityEndpoints.List(grains);
        if (!existing.Value!.Items.Any(o => o.Name == OpportunityName))
        {
            Expect(await OpportunityEndpoints.Create(Opportunity(), grains), "opportunity");
        }

        logger.LogInformation("Seeded the demo organisation: sign in to the console as {Coach} (coach), {Supervisor} (supervisor), {Agent} (agent) or {Admin} (coaching.admin)",
            Coaches[0], Supervisor, Agents[0], Admin);
    }

    /// <summary>The seed's opportunity of API.md, on the demo's incident table.</summary>
    public static OpportunityEndpoints.OpportunityBody Opportunity()
    {
        using var moment = JsonDocument.Parse("""{"all":[{"field":"assigned_to","operator":"changes"}]}""");
        return new(OpportunityName, "Coach agents whose incidents get reassigned.", true, Table, "assigned_to", null, CoachGroup,
            moment.RootElement.Clone(), ["resolution_code", "resolution_notes", "work_notes"], null, 100, [], "P5D", true, true, "PT1M",
            "trainee-assessment", "coach-effectiveness", "Number of reassigned open incidents",
            "Retrofit Staffing to include more global logistics", [new("Reassignment etiquette", "https://learn.example.test/reassign")],
            CompletionMode.Coach, []);
    }

    /// <summary>
    /// A burst of sample incident events: each reassigns an incident between two demo agents, so the seed's
    /// opportunity creates assessments for the agents, handed to the demo coaches. Sent as <paramref name="sender"/>
    /// through the event intake, like an integration's batch.
    /// </summary>
    public static async Task<ImmutableArray<EventAnswer>> SendSampleEvents(IGrainFactory grains, string sender, int count, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var now = clock.GetUtcNow();
        var burst = Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, Math.Clamp(count, 1, EventEndpoints.MaxBatch)).Select(i =>
        {
            var to = Agents[(i + now.Second) % Agents.Length];
            var from = Agents[(i + now.Second + 1) % Agents.Length];
            var record = "INC" + (now.ToUnixTimeSeconds() % 1_000_000 * 10 + i).ToString(CultureInfo.InvariantCulture);
            return new IncomingEvent($"demo-{burst}-{i}", Table, record, now,
                ImmutableDictionary<string, string?>.Empty
                    .Add("assigned_to", to).Add("resolution_code", "reassigned")
                    .Add("resolution_notes", "Passed on to the right team").Add("work_notes", $"Reassigned from {from}")
                    .Add("priority", (i % 4 + 1).ToString(CultureInfo.InvariantCulture)),
                ImmutableDictionary<string, string?>.Empty.Add("assigned_to", from));
        }).ToImmutableArray();
        return await grains.GetGrain<IEventIntakeGrain>(0).Ingest(sender, events);
    }

    private static void Expect(IResult result, string what)
    {
        var outcome = ConsoleCalls.Unwrap<object>(result);
        if (outcome.Problem is { } problem)
        {
            throw new InvalidOperationException($"The demo seed could not write {what}: {problem.Code} {problem.Detail}");
        }
    }
}

/// <summary>Seeds the demo organisation once the silo is up, when <see cref="Demo.ShouldSeed"/> says so.</summary>
public sealed class DemoSeeder(IGrainFactory grains, DirectoryAccess access, IOptions<DemoOptions> options, HostingModeInfo hosting, ILogger<DemoSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Demo.ShouldSeed(options.Value, hosting.Mode, hosting.Durable))
        {
            await Demo.Seed(grains, access, logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>How this API process was built: its mode, and whether it has a connection string.</summary>
public sealed record HostingModeInfo(HostingMode Mode, bool Durable);
