using System.Collections.Immutable;
using Coaching.Sessions;
using static Coaching.Domain.Tests.Sessions.SessionFixtures;

namespace Coaching.Domain.Tests.Sessions;

public class SuggestionValidatorTests
{
    // name, coach, trainees, area, expiry offset in hours (null: none), author, expected codes in order
    public static TheoryData<string, Participant, Participant[], string, int?, SuggestionAuthor, string[]> Cases => new()
    {
        // passing cases, one next to each rule
        { "plain user coach and user trainee", U(Coach), [U(Trainee1)], "empathy", 1, SuggestionAuthor.Supervisor, [] },
        { "coach group and trainee group without shared members", G("coaches"), [G("team")], "empathy", 1, SuggestionAuthor.Supervisor, [] },
        { "expiry one second ahead is fine", U(Coach), [U(Trainee1)], "empathy", 0, SuggestionAuthor.Supervisor, [] },
        { "supervisor in a trainee group with other members is fine", U(Coach), [G("team-with-sup")], "empathy", 1, SuggestionAuthor.Supervisor, [] },
        { "supervisor in a coach group with other members is fine", G("team-with-sup"), [U(Trainee2)], "empathy", 1, SuggestionAuthor.Supervisor, [] },
        { "coach schedules with other trainees", U(Coach), [U(Trainee2)], "empathy", null, SuggestionAuthor.Coach, [] },
        // each rule tripped
        { "unknown user", U("nobody"), [U(Trainee1)], "empathy", 1, SuggestionAuthor.Supervisor, ["unknown-user"] },
        { "deleted user", U(Coach), [U("gone")], "empathy", 1, SuggestionAuthor.Supervisor, ["unknown-user"] },
        { "unknown group", U(Coach), [G("nope")], "empathy", 1, SuggestionAuthor.Supervisor, ["unknown-group"] },
        { "deleted group", U(Coach), [G("old")], "empathy", 1, SuggestionAuthor.Supervisor, ["unknown-group"] },
        { "unknown coaching area", U(Coach), [U(Trainee1)], "juggling", 1, SuggestionAuthor.Supervisor, ["unknown-coaching-area"] },
        { "expiry in the past", U(Coach), [U(Trainee1)], "empathy", -1, SuggestionAuthor.Supervisor, ["expiry-in-past"] },
        { "supervisor as coach", U(Supervisor), [U(Trainee1)], "empathy", 1, SuggestionAuthor.Supervisor, ["supervisor-as-participant"] },
        { "supervisor as trainee", U(Coach), [U(Trainee1), U(Supervisor)], "empathy", 1, SuggestionAuthor.Supervisor, ["supervisor-as-participant"] },
        { "coach selected supervisor as trainee", U(Coach), [U(Supervisor)], "empathy", null, SuggestionAuthor.Coach, ["coach-selected-supervisor"] },
        { "coach group of only the supervisor", G("sup-only"), [U(Trainee1)], "empathy", 1, SuggestionAuthor.Supervisor, ["supervisor-only-coach-member"] },
        { "trainee group of only the supervisor", U(Coach), [G("sup-only")], "empathy", 1, SuggestionAuthor.Supervisor, ["supervisor-only-trainee-member"] },
        { "deleted members do not count: supervisor is the only active member", U(Coach), [G("sup-and-gone")], "empathy", 1, SuggestionAuthor.Supervisor, ["supervisor-only-trainee-member"] },
        { "same user both sides", U(Trainee1), [U(Trainee1)], "empathy", 1, SuggestionAuthor.Supervisor, ["coach-trainee-overlap"] },
        { "same group both sides", G("team"), [G("team")], "empathy", 1, SuggestionAuthor.Supervisor, ["coach-trainee-overlap"] },
        { "coach user is a member of a trainee group", U(Coach), [G("coach-and-t2")], "empathy", 1, SuggestionAuthor.Supervisor, ["coach-trainee-overlap"] },
        { "trainee user is a member of the coach group", G("coaches"), [U(Coach2)], "empathy", 1, SuggestionAuthor.Supervisor, ["coach-trainee-overlap"] },
        { "coach group and trainee group share a member", G("coaches"), [G("t1-and-coach2")], "empathy", 1, SuggestionAuthor.Supervisor, ["coach-trainee-overlap"] },
        // precedence when several trip
        {
            "everything at once, in precedence order",
            U(Supervisor), [U("nobody"), G("nope"), G("sup-only"), U(Supervisor)], "juggling", -1, SuggestionAuthor.Supervisor,
            ["unknown-user", "unknown-group", "unknown-coaching-area", "expiry-in-past", "supervisor-as-participant", "supervisor-as-participant", "supervisor-only-trainee-member", "coach-trainee-overlap"]
        },
        { "existence before overlap", U(Coach), [U(Coach), U("nobody")], "empathy", 1, SuggestionAuthor.Supervisor, ["unknown-user", "coach-trainee-overlap"] },
        { "supervisor-only coach before supervisor-only trainee", G("sup-only"), [G("sup-only")], "empathy", 1, SuggestionAuthor.Supervisor, ["supervisor-only-coach-member", "supervisor-only-trainee-member", "coach-trainee-overlap"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_every_broken_rule_in_precedence_order(
        string name, Participant coach, Participant[] trainees, string area, int? expiryHours, SuggestionAuthor author, string[] expected)
    {
        DateTimeOffset? expiry = expiryHours switch
        {
            null => null,
            0 => Now.AddSeconds(1),
            { } h => Now.AddHours(h),
        };

        var failures = SuggestionValidator.Validate(Supervisor, coach, trainees, area, expiry, Now, People, author);

        Assert.True(expected.SequenceEqual(failures.Select(f => f.Code)), $"{name}: got [{string.Join(", ", failures.Select(f => f.Code))}]");
    }

    [Fact]
    public void Expiry_exactly_now_is_in_the_past()
    {
        var failures = SuggestionValidator.Validate(Supervisor, U(Coach), [U(Trainee1)], "empathy", Now, Now, People);

        Assert.Equal(["expiry-in-past"], failures.Select(f => f.Code));
        Assert.Equal("expiresAt", failures[0].Field);
    }

    [Fact]
    public void Failures_name_the_offending_field()
    {
        var failures = SuggestionValidator.Validate(Supervisor, U(Coach), [U(Trainee1), U("nobody")], "empathy", null, Now, People);

        Assert.Equal("trainees[1]", Assert.Single(failures).Field);
    }

    [Fact]
    public void Expansion_leaves_out_the_supervisor_deleted_members_and_duplicates()
    {
        var users = SuggestionValidator.Expand(Supervisor, [G("team-with-sup"), U(Trainee1), G("team"), G("sup-and-gone")], People);

        Assert.Equal([Trainee1, Trainee2], users.ToArray());
    }

    [Fact]
    public void Refusal_code_is_the_first_rule_broken()
    {
        var d = SessionLifecycle.Suggest("s", Supervisor, Draft(U(Supervisor), [U(Coach)], "juggling"), Now, People);

        Assert.Equal(RefusalKind.RuleViolation, d.Refusal!.Kind);
        Assert.Equal("unknown-coaching-area", d.Refusal.Code);
        Assert.Equal(["unknown-coaching-area", "supervisor-as-participant"], d.Refusal.Reasons.Select(r => r.Code));
    }

    [Theory]
    [InlineData("", "title")]
    [InlineData("   ", "title")]
    public void Missing_fields_are_invalid_requests(string title, string field)
    {
        var d = SessionLifecycle.Suggest("s", Supervisor, Draft() with { Title = title }, Now, People);

        Assert.Equal(RefusalKind.InvalidRequest, d.Refusal!.Kind);
        Assert.Equal("invalid-request", d.Refusal.Code);
        Assert.Equal(field, d.Refusal.Reasons[0].Field);
    }

    [Fact]
    public void No_trainees_is_an_invalid_request()
    {
        var d = SessionLifecycle.Suggest("s", Supervisor, Draft(trainees: ImmutableArray<Participant>.Empty), Now, People);

        Assert.Equal(RefusalKind.InvalidRequest, d.Refusal!.Kind);
        Assert.Equal("trainees", d.Refusal.Reasons[0].Field);
    }
}
