using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Reliability.Tests.Harness;

/// <summary>
/// Sends events in batches and single posts, paced over a schedule, retrying each event by its id on any failure
/// (HTTP error, transport exception, timeout, a problem entry in a batch) until it has a success answer.
/// Keeps the first success answer of every event and checks that any later success answer is identical.
/// </summary>
public sealed class EventSender(HttpClient client, IReadOnlyList<object> events, IReadOnlyList<string> eventIds, Func<string?>? abortReason = null)
{
    private readonly ConcurrentDictionary<string, string> answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> disagreements = new();
    private readonly ConcurrentDictionary<string, int> failureKinds = new(StringComparer.Ordinal);
    private int requests;
    private int failedRequests;
    private int retriedEvents;
    private int answered;

    public int Requests => requests;

    public int FailedRequests => failedRequests;

    /// <summary>Event sends beyond the first, summed over events.</summary>
    public int RetriedEvents => retriedEvents;

    public int Answered => answered;

    /// <summary>Outcomes array (raw JSON) of the first success answer per event id.</summary>
    public IReadOnlyDictionary<string, string> Answers => answers;

    /// <summary>Events that got two different success answers.</summary>
    public IReadOnlyCollection<string> Disagreements => disagreements;

    public IReadOnlyDictionary<string, int> FailureKinds => failureKinds;

    /// <summary>
    /// Sends all events: chunk k goes as a batch of <paramref name="batchSize"/> when k is even, as single posts
    /// otherwise; chunk k is not started before <c>k/chunks</c> of <paramref name="spread"/>.
    /// </summary>
    public async Task SendAllAsync(int workers, int batchSize, TimeSpan spread, DateTime giveUpAt)
    {
        var chunks = Enumerable.Range(0, (events.Count + batchSize - 1) / batchSize)
            .Select(k => Enumerable.Range(k * batchSize, Math.Min(batchSize, events.Count - (k * batchSize))).ToArray())
            .ToArray();
        var next = -1;
        var started = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < chunks.Length)
            {
                var due = started + (spread * k / chunks.Length);
                if (due > DateTime.UtcNow)
                {
                    await Task.Delay(due - DateTime.UtcNow);
                }

                await SendUntilAnsweredAsync(chunks[k], asBatch: k % 2 == 0, giveUpAt);
            }
        })));
    }

    /// <summary>Sends every event once more (in batches) and returns the ids whose answer differs from the first.</summary>
    public async Task<IReadOnlyList<string>> ReplayAllAsync(int workers, int batchSize, DateTime giveUpAt)
    {
        var replayed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var chunks = Enumerable.Range(0, (events.Count + batchSize - 1) / batchSize)
            .Select(k => Enumerable.Range(k * batchSize, Math.Min(batchSize, events.Count - (k * batchSize))).ToArray())
            .ToArray();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < chunks.Length)
            {
                var pending = chunks[k].ToList();
                while (pending.Count > 0)
                {
                    if (DateTime.UtcNow > giveUpAt)
                    {
                        throw new TimeoutException($"replay: {pending.Count} events of chunk {k} still unanswered");
                    }

                    var got = await TryBatchAsync(pending);
                    foreach (var (index, outcomes) in got)
                    {
                        replayed[eventIds[index]] = outcomes;
                    }

                    pending.RemoveAll(got.ContainsKey);
                    if (pending.Count > 0)
                    {
                        await Task.Delay(500);
                    }
                }
            }
        })));

        return [.. eventIds.Where(id => !replayed.TryGetValue(id, out var again) || again != answers[id])];
    }

    private async Task SendUntilAnsweredAsync(int[] chunk, bool asBatch, DateTime giveUpAt)
    {
        var pending = chunk.ToList();
        var attempt = 0;
        while (pending.Count > 0)
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"{pending.Count} events still unanswered at the deadline, e.g. {eventIds[pending[0]]}");
            }

            if (attempt > 0 && abortReason?.Invoke() is { } reason)
            {
                throw new InvalidOperationException($"sending stopped: {reason}");
            }

            if (attempt > 0)
            {
                Interlocked.Add(ref retriedEvents, pending.Count);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)));
            }

            attempt++;
            Dictionary<int, string> got;
            if (asBatch)
            {
                got = await TryBatchAsync(pending);
            }
            else
            {
                got = [];
                foreach (var index in pending)
                {
                    if (await TrySingleAsync(index) is { } outcomes)
                    {
                        got[index] = outcomes;
                    }
                }
            }

            foreach (var (index, outcomes) in got)
            {
                Record(eventIds[index], outcomes);
            }

            pending.RemoveAll(got.ContainsKey);
        }
    }

    private void Record(string eventId, string outcomes)
    {
        if (answers.TryAdd(eventId, outcomes))
        {
            Interlocked.Increment(ref answered);
        }
        else if (answers[eventId] != outcomes)
        {
            disagreements.Enqueue($"{eventId}: first {answers[eventId]}, later {outcomes}");
        }
    }

    private async Task<string?> TrySingleAsync(int index)
    {
        Interlocked.Increment(ref requests);
        try
        {
            using var response = await client.PostAsJsonAsync("/v1/events", events[index], Http.Json);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                Fail($"single {(int)response.StatusCode}");
                return null;
            }

            using var body = JsonDocument.Parse(text);
            if (body.RootElement.GetProperty("eventId").GetString() != eventIds[index])
            {
                throw new InvalidOperationException($"answer for {eventIds[index]} names another event: {text}");
            }

            return body.RootElement.GetProperty("outcomes").GetRawText();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            Fail($"single {e.GetType().Name}");
            return null;
        }
    }

    private async Task<Dictionary<int, string>> TryBatchAsync(List<int> indexes)
    {
        Interlocked.Increment(ref requests);
        var got = new Dictionary<int, string>();
        try
        {
            using var response = await client.PostAsJsonAsync("/v1/events/batch", new { events = indexes.Select(i => events[i]).ToArray() }, Http.Json);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                Fail($"batch {(int)response.StatusCode}");
                return got;
            }

            using var body = JsonDocument.Parse(text);
            var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
            if (results.Count != indexes.Count)
            {
                throw new InvalidOperationException($"batch of {indexes.Count} answered with {results.Count} results");
            }

            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].TryGetProperty("outcomes", out var outcomes))
                {
                    if (results[i].GetProperty("eventId").GetString() != eventIds[indexes[i]])
                    {
                        throw new InvalidOperationException($"batch result {i} names another event than {eventIds[indexes[i]]}");
                    }

                    got[indexes[i]] = outcomes.GetRawText();
                }
                else
                {
                    Fail("batch entry problem");
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            Fail($"batch {e.GetType().Name}");
        }

        return got;
    }

    private void Fail(string kind)
    {
        Interlocked.Increment(ref failedRequests);
        failureKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }
}
