using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Reliability.Tests.Harness;

/// <summary>Directory entries, opportunities and reads through the API of a <see cref="ProcessCluster"/>.</summary>
public static class Seeding
{
    public static async Task PutUsersAsync(HttpClient admin, IEnumerable<string> users, int parallelism = 8) =>
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (user, _) =>
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK));

    public static async Task PutGroupAsync(HttpClient admin, string group, IEnumerable<string> members) =>
        await (await admin.PutJson($"/v1/groups/{group}", new { displayName = group, members = members.ToArray() })).Expect(HttpStatusCode.OK);

    /// <summary>An opportunity on <paramref name="table"/> whose moment is a change of <c>assigned_to</c>; every match is coached.</summary>
    public static async Task<string> CreateOpportunityAsync(HttpClient admin, string table, string coachGroup, string assessmentDuration, bool closeOnExpiry)
    {
        var created = await (await admin.PostJson("/v1/opportunities", new
        {
            name = "Reliability: reassignment on " + table,
            active = true,
            sourceTable = table,
            traineeField = "assigned_to",
            coachGroup,
            moment = new { all = new[] { new { field = "assigned_to", @operator = "changes" } } },
            snapshotFields = new[] { "resolution_code" },
            randomSamplePercent = 100,
            assessmentDuration,
            closeOnExpiry,
            preventDuplicates = false,
            duplicateWindow = "P1D",
            completion = "coach",
        })).Expect(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>A case event; it matches the reassignment moment when <paramref name="reassigned"/>.</summary>
    public static object Event(string eventId, string table, string trainee, bool reassigned, string previousAssignee) => new
    {
        eventId,
        table,
        recordId = "INC-" + eventId,
        occurredAt = "2026-11-20T10:00:00Z",
        fields = new Dictionary<string, object?> { ["assigned_to"] = trainee, ["resolution_code"] = "fixed", ["priority"] = 2 },
        previous = new Dictionary<string, object?> { ["assigned_to"] = reassigned ? previousAssignee : trainee },
    };

    /// <summary>Every assessment id listed for the trainee, through all pages (duplicates kept).</summary>
    public static async Task<List<string>> TraineeAssessmentIdsAsync(HttpClient admin, string trainee)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 10_000; page++)
        {
            var url = $"/v1/trainees/{trainee}/assessments?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var body = await (await admin.GetAsync(new Uri(url, UriKind.Relative))).Expect(HttpStatusCode.OK);
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (cursor is null)
            {
                return ids;
            }
        }

        throw new InvalidOperationException($"paging of {trainee}'s assessments does not end");
    }

    /// <summary>Retries a read through the API on transport errors and 5xx until <paramref name="within"/> passes.</summary>
    public static async Task<T> WithRetriesAsync<T>(Func<Task<T>> read, TimeSpan within)
    {
        var giveUpAt = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(500);
            }
        }
    }
}
