using Coaching.Moments;

namespace Coaching.Domain.Tests.Moments;

public class CoachAssignmentTests
{
    private static readonly string[] Coaches = Enumerable.Range(1, 8).Select(i => $"coach-{i}").ToArray();
    private static readonly string[] Trainees = Enumerable.Range(1, 2000).Select(i => $"u-{i}").ToArray();

    [Theory]
    [InlineData("u-1", new string[0], null)]
    [InlineData("u-1", new[] { "u-1" }, null)]
    [InlineData("u-1", new[] { "u-1", "u-1" }, null)]
    [InlineData("u-1", new[] { "", " ", "u-1" }, null)]
    [InlineData("u-1", new[] { "u-1", "coach-9" }, "coach-9")]
    [InlineData("u-1", new[] { "coach-9" }, "coach-9")]
    public void Small_groups(string trainee, string[] members, string? expected)
    {
        Assert.Equal(expected, CoachAssignment.Choose(trainee, members));
    }

    [Fact]
    public void Never_the_trainee_and_always_a_member()
    {
        var group = Coaches.Concat(["u-5", "u-77"]).ToArray();
        foreach (var trainee in Trainees)
        {
            var coach = CoachAssignment.Choose(trainee, group);
            Assert.NotNull(coach);
            Assert.NotEqual(trainee, coach);
            Assert.Contains(coach, group);
        }
    }

    [Fact]
    public void Independent_of_member_order_and_repeatable()
    {
        var reversed = Coaches.Reverse().ToArray();
        foreach (var trainee in Trainees.Take(300))
        {
            Assert.Equal(CoachAssignment.Choose(trainee, Coaches), CoachAssignment.Choose(trainee, reversed));
        }
    }

    [Fact]
    public void Spreads_trainees_over_coaches()
    {
        var load = Trainees.GroupBy(t => CoachAssignment.Choose(t, Coaches)).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Coaches.Length, load.Count);
        // 2000 / 8 = 250 each on average.
        Assert.All(load.Values, n => Assert.InRange(n, 180, 320));
    }

    [Fact]
    public void Adding_a_member_only_moves_trainees_to_the_new_member()
    {
        var grown = Coaches.Append("coach-new").ToArray();
        var moved = 0;
        foreach (var trainee in Trainees)
        {
            var before = CoachAssignment.Choose(trainee, Coaches);
            var after = CoachAssignment.Choose(trainee, grown);
            if (before != after)
            {
                moved++;
                Assert.Equal("coach-new", after);
            }
        }

        // About 1/9 of trainees should move; certainly not most of them.
        Assert.InRange(moved, 120, 350);
    }

    [Fact]
    public void Removing_a_member_only_moves_that_members_trainees()
    {
        var shrunk = Coaches.Where(c => c != "coach-3").ToArray();
        foreach (var trainee in Trainees)
        {
            var before = CoachAssignment.Choose(trainee, Coaches);
            var after = CoachAssignment.Choose(trainee, shrunk);
            if (before != "coach-3")
            {
                Assert.Equal(before, after);
            }
            else
            {
                Assert.NotEqual("coach-3", after);
            }
        }
    }
}
