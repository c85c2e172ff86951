using Coaching.Moments;

namespace Coaching.Domain.Tests.Moments;

public class SamplingTests
{
    private static IEnumerable<string> EventIds(int count) =>
        Enumerable.Range(1, count).Select(i => $"evt-{i:D6}");

    [Theory]
    [InlineData("COP0000001", 30)]
    [InlineData("COP0000002", 30)]
    [InlineData("COP0000001", 10)]
    [InlineData("COP0000007", 75)]
    [InlineData("COP0000001", 50.5)]
    public void Pass_rate_is_close_to_the_sample_percent(string opportunityId, double percent)
    {
        const int events = 5000;
        var passed = EventIds(events).Count(id => Sampling.Passes(opportunityId, id, percent));
        var rate = 100.0 * passed / events;
        Assert.InRange(rate, percent - 3, percent + 3);
    }

    [Fact]
    public void Draws_are_uniform_across_deciles()
    {
        var buckets = new int[10];
        foreach (var id in EventIds(10_000))
        {
            var draw = Sampling.Draw("COP0000001", id);
            Assert.InRange(draw, 0.0, 0.9999999999);
            buckets[(int)(draw * 10)]++;
        }

        Assert.All(buckets, b => Assert.InRange(b, 880, 1120));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(100, 5000)]
    [InlineData(250, 5000)]
    public void Edges_keep_none_or_all(double percent, int expected)
    {
        Assert.Equal(expected, EventIds(5000).Count(id => Sampling.Passes("COP0000001", id, percent)));
    }

    [Fact]
    public void Always_coach_passes_at_zero_percent()
    {
        Assert.All(EventIds(100), id => Assert.True(Sampling.Passes("COP0000001", id, 0, alwaysCoach: true)));
    }

    [Fact]
    public void Same_inputs_same_answer_and_opportunities_draw_independently()
    {
        var first = EventIds(2000).Select(id => Sampling.Passes("COP0000001", id, 30)).ToArray();
        var again = EventIds(2000).Select(id => Sampling.Passes("COP0000001", id, 30)).ToArray();
        var other = EventIds(2000).Select(id => Sampling.Passes("COP0000002", id, 30)).ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Independent draws agree about 0.3*0.3 + 0.7*0.7 = 58 % of the time, not ~100 %.
        var agreement = first.Zip(other).Count(p => p.First == p.Second) / 2000.0;
        Assert.InRange(agreement, 0.52, 0.64);
    }

    [Theory]
    // Pinned values: the draw must never change between versions or processes, or retried events would flip.
    [InlineData("COP0000001", "evt-000123")]
    [InlineData("COP0000042", "9f1c2a77-0d5e-4c1b-a7a2-3c9e5b1f0e11")]
    public void Draw_is_stable_across_runs(string opportunityId, string eventId)
    {
        var draw = Sampling.Draw(opportunityId, eventId);
        Assert.Equal(draw, Sampling.Draw(opportunityId, eventId));
        Assert.NotEqual(draw, Sampling.Draw(opportunityId, eventId + "x"));
        Assert.NotEqual(draw, Sampling.Draw(opportunityId + eventId, ""));
    }
}
