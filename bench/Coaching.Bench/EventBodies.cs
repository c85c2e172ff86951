using System.Text;

namespace Coaching.Bench;

/// <summary>
/// Pre-serialized request bodies: the JSON of an event (or a batch of them) is built once, and each request gets a
/// copy with its event number and trainee written into fixed-width digit slots. No JSON serialization happens on the
/// load generator's hot path, and every request carries a fresh event id (the service answers a replayed id from
/// its record, which would measure something else).
/// </summary>
public sealed class EventBodies
{
    private const string EventMarker = "EEEEEEEEEEEE";
    private const string TraineeMarker = "TTTTTT";

    private readonly byte[] template;
    private readonly int[] eventSlots;
    private readonly int[] traineeSlots;
    private readonly Func<long, long> traineeOf;

    private EventBodies(string json, Func<long, long> traineeOf)
    {
        template = Encoding.UTF8.GetBytes(json);
        eventSlots = Find(template, EventMarker);
        traineeSlots = Find(template, TraineeMarker);
        this.traineeOf = traineeOf;
        if (traineeSlots.Length != 0 && 2 * traineeSlots.Length != eventSlots.Length)
        {
            throw new InvalidOperationException("Each event needs one trainee slot.");
        }
    }

    public int EventsPerBody => eventSlots.Length / 2;

    public int Length => template.Length;

    /// <summary>Events of <paramref name="table"/>. <paramref name="matching"/>: <c>assigned_to</c> changed (the
    /// bench opportunity's moment); otherwise only <c>state</c> changed. The trainee of event n is
    /// <c>{traineePrefix}{traineeOf(n):D6}</c>.</summary>
    public static EventBodies Create(string eventPrefix, string table, bool matching, string traineePrefix, Func<long, long> traineeOf, int perBody)
    {
        var one = Event(eventPrefix, table, matching, traineePrefix);
        var json = perBody == 1 ? one : "{\"events\":[" + string.Join(",", Enumerable.Repeat(one, perBody)) + "]}";
        return new EventBodies(json, traineeOf);
    }

    /// <summary>The JSON of one event as API.md shows it, with digit markers.</summary>
    public static string Event(string eventPrefix, string table, bool matching, string traineePrefix)
    {
        var previous = matching
            ? "{\"assigned_to\":\"" + traineePrefix + "prev\",\"state\":\"1\"}"
            : "{\"state\":\"1\"}";
        return "{\"eventId\":\"" + eventPrefix + EventMarker + "\",\"table\":\"" + table + "\",\"recordId\":\"INC" + EventMarker
            + "\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"fields\":{\"assigned_to\":\"" + traineePrefix + TraineeMarker
            + "\",\"state\":\"2\",\"priority\":\"3\",\"resolution_code\":\"fixed\",\"work_notes\":\"Called the customer back and confirmed the fix.\"},\"previous\":"
            + previous + "}";
    }

    /// <summary>Body number <paramref name="body"/>: events <c>body * EventsPerBody</c> and on.</summary>
    public byte[] Render(long body)
    {
        var bytes = (byte[])template.Clone();
        var perBody = eventSlots.Length / 2; // eventId and recordId both carry the event number
        for (var i = 0; i < perBody; i++)
        {
            var n = body * perBody + i;
            WriteDigits(bytes, eventSlots[2 * i], EventMarker.Length, n);
            WriteDigits(bytes, eventSlots[2 * i + 1], EventMarker.Length, n);
            if (traineeSlots.Length > 0)
            {
                WriteDigits(bytes, traineeSlots[i], TraineeMarker.Length, traineeOf(n));
            }
        }

        return bytes;
    }

    private static void WriteDigits(byte[] bytes, int offset, int width, long value)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            bytes[offset + i] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
    }

    private static int[] Find(byte[] bytes, string marker)
    {
        var needle = Encoding.ASCII.GetBytes(marker);
        var found = new List<int>();
        var span = bytes.AsSpan();
        var at = 0;
        while (true)
        {
            var i = span[at..].IndexOf(needle);
            if (i < 0)
            {
                return [.. found];
            }

            found.Add(at + i);
            at += i + needle.Length;
        }
    }
}
