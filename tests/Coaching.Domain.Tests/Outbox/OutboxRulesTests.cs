using Coaching.Inbox;
using Coaching.Notifications;
using Coaching.Outbox;
using Coaching.Sessions;
using static Coaching.Domain.Tests.Sessions.SessionFixtures;

namespace Coaching.Domain.Tests.Outbox;

public class OutboxRulesTests
{
    // (grain, version, kind) -> key: the same three give the same key, any one changed gives another.
    public static TheoryData<string, int, string, string> Keys => new()
    {
        { "a-1", 3, "AssessmentAssigned", "a-1:3:AssessmentAssigned" },
        { "a-1", 4, "AssessmentAssigned", "a-1:4:AssessmentAssigned" },
        { "a-1", 3, "AssessmentReopened", "a-1:3:AssessmentReopened" },
        { "s-1", 1, "SessionSuggested", "s-1:1:SessionSuggested" },
        { "s-1", 0, "SessionSuggested", "s-1:0:SessionSuggested" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_delivery_key_is_the_grain_the_transition_version_and_the_kind(string grain, int version, string kind, string key)
    {
        Assert.Equal(key, OutboxRules.DeliveryKey(grain, version, kind));
        Assert.Equal(key, OutboxRules.DeliveryKey(grain, version, kind));
    }

    [Fact]
    public void A_delivery_key_needs_a_grain_a_kind_and_a_version()
    {
        Assert.ThrowsAny<ArgumentException>(() => OutboxRules.DeliveryKey("", 1, "k"));
        Assert.ThrowsAny<ArgumentException>(() => OutboxRules.DeliveryKey("g", 1, ""));
        Assert.ThrowsAny<ArgumentException>(() => OutboxRules.DeliveryKey("g", -1, "k"));
    }

    [Fact]
    public void Each_recipient_of_a_message_gets_one_notice_with_the_messages_key()
    {
        var subject = new NotificationSubject(NotificationSubjectKind.Session, "s-1");
        var notices = OutboxRules.Notices("s-1", 2,
        [
            new NotificationMessage(["sup", "coach", "sup"], NotificationType.SessionExpired, "Expired.", subject),
            new NotificationMessage(["t1"], NotificationType.SessionScheduled, "Scheduled.", subject),
        ]);

        Assert.Equal(
            [("sup", "s-1:2:SessionExpired"), ("coach", "s-1:2:SessionExpired"), ("t1", "s-1:2:SessionScheduled")],
            notices.Select(n => (n.Recipient, n.Draft.DeliveryKey)));
        Assert.Equal(["Expired.", "Expired.", "Scheduled."], notices.Select(n => n.Draft.Text));
    }

    // Lists before, lists after -> into, off.
    public static TheoryData<string[]?, string[], string[], string[]> Moves => new()
    {
        // Created: into every list, off none.
        { null, ["t:1", "c:1"], ["t:1", "c:1"], [] },
        // Reassigned: the new coach's list in, the old one's out.
        { ["t:1", "c:1"], ["t:1", "c:2"], ["t:1", "c:2"], ["c:1"] },
        // Nothing moved: the lists it stays on get the new row.
        { ["t:1"], ["t:1"], ["t:1"], [] },
        // Off every list.
        { ["t:1", "c:1"], [], [], ["t:1", "c:1"] },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void A_transition_puts_the_row_on_the_lists_it_belongs_on_and_takes_it_off_those_it_left(string[]? before, string[] after, string[] into, string[] off)
    {
        var move = OutboxRules.Move(before, after);

        Assert.Equal(into, move.Into);
        Assert.Equal(off, move.Off);
    }

    // Pending (into, off), next (into, off) -> merged (into, off).
    public static TheoryData<string[], string[], string[], string[], string[], string[]> Merges => new()
    {
        // c1 -> c2 still pending, then c2 -> c3: c2 may show the stale row, c1 still does.
        { ["t:1", "c:2"], ["c:1"], ["t:1", "c:3"], ["c:2"], ["t:1", "c:3"], ["c:2", "c:1"] },
        // Handed back to the list it left: that list gets the new row and is not left.
        { ["t:1", "c:2"], ["c:1"], ["t:1", "c:1"], ["c:2"], ["t:1", "c:1"], ["c:2"] },
        // Nothing pending.
        { [], [], ["t:1"], [], ["t:1"], [] },
        // Off every list now: every list either one named is left.
        { ["t:1", "g:1"], [], [], ["t:1"], [], ["t:1", "g:1"] },
        // The same list named twice is named once.
        { ["t:1"], ["c:1"], ["t:1", "t:1"], ["c:1"], ["t:1"], ["c:1"] },
    };

    [Theory]
    [MemberData(nameof(Merges))]
    public void A_new_transitions_row_replaces_a_pending_one_and_no_list_keeps_a_stale_row(
        string[] pendingInto, string[] pendingOff, string[] nextInto, string[] nextOff, string[] into, string[] off)
    {
        var merged = OutboxRules.Then(new Placement(pendingInto, pendingOff), new Placement(nextInto, nextOff));

        Assert.Equal(into, merged.Into);
        Assert.Equal(off, merged.Off);
    }

    [Fact]
    public void With_nothing_pending_the_next_placement_is_taken_as_it_is()
    {
        var next = new Placement(["t:1"], ["c:1"]);
        Assert.Same(next, OutboxRules.Then(null, next));
    }

    // Pending keys, next keys -> merged keys.
    public static TheoryData<string[]?, string[], string[]> OneShots => new()
    {
        { null, ["b"], ["b"] },
        { ["a"], ["b"], ["a", "b"] },
        // A notice published again with the same key (a retried transition) is kept once, the earlier in its place.
        { ["a", "b"], ["b", "c"], ["a", "b", "c"] },
        { ["a"], [], ["a"] },
    };

    [Theory]
    [MemberData(nameof(OneShots))]
    public void One_shot_effects_all_go_out_earlier_first_each_key_once(string[]? pending, string[] next, string[] merged)
    {
        Assert.Equal(merged, OutboxRules.Then(pending?.Select(Notice), next.Select(Notice), OutboxRules.KeyOf).Select(n => n.Draft.DeliveryKey));
    }

    [Fact]
    public void The_same_key_to_two_recipients_is_two_notices()
    {
        var toSup = Notice("k");
        var toCoach = toSup with { Recipient = "coach" };

        Assert.Equal(2, OutboxRules.Then([toSup], [toCoach, toSup], OutboxRules.KeyOf).Count);
    }

    // Tried (into, off), refused lists -> left (into, off).
    public static TheoryData<string[], string[], string[], string[], string[]> Publishes => new()
    {
        { ["t:1", "c:2"], ["c:1"], [], [], [] },
        { ["t:1", "c:2"], ["c:1"], ["c:2"], ["c:2"], [] },
        { ["t:1", "c:2"], ["c:1"], ["c:1"], [], ["c:1"] },
        { ["t:1", "c:2"], ["c:1"], ["t:1", "c:2", "c:1"], ["t:1", "c:2"], ["c:1"] },
        // A list nobody asked for is not added.
        { ["t:1"], [], ["x:9"], [], [] },
    };

    [Theory]
    [MemberData(nameof(Publishes))]
    public void After_a_publish_only_the_refused_lists_are_left(string[] into, string[] off, string[] refused, string[] leftInto, string[] leftOff)
    {
        var left = OutboxRules.Left(new Placement(into, off), refused);

        Assert.Equal(leftInto, left.Into);
        Assert.Equal(leftOff, left.Off);
        Assert.Equal(refused.Length == 0 || (leftInto.Length == 0 && leftOff.Length == 0), left.IsDone);
    }

    // Tried keys, delivered keys -> left keys.
    public static TheoryData<string[], string[], string[]> Deliveries => new()
    {
        { ["a", "b", "c"], ["a", "b", "c"], [] },
        { ["a", "b", "c"], ["b"], ["a", "c"] },
        { ["a", "b"], [], ["a", "b"] },
        { [], ["a"], [] },
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void After_a_publish_only_the_undelivered_one_shot_effects_are_left(string[] tried, string[] delivered, string[] left)
    {
        Assert.Equal(left, OutboxRules.Left(tried, delivered, k => k));
    }

    [Theory]
    [InlineData(new string[0], new string[0], true)]
    [InlineData(new[] { "t:1" }, new string[0], false)]
    [InlineData(new string[0], new[] { "c:1" }, false)]
    public void A_placement_is_done_when_no_list_is_left_to_put_on_or_take_off(string[] into, string[] off, bool done)
    {
        Assert.Equal(done, new Placement(into, off).IsDone);
    }

    [Fact]
    public void A_sessions_transition_moves_its_row_and_keys_its_notices_by_session_transition_and_type()
    {
        var suggested = Suggested();
        var scheduled = SessionLifecycle.Schedule(suggested, Coach, Now.AddDays(1), 30, SessionChanges.None, Now, People);

        var created = SessionEffects.Move(null, suggested);
        var moved = SessionEffects.Move(suggested, scheduled.State);
        var notices = SessionEffects.Notices(scheduled.State, scheduled.Notifications);

        Assert.Equal(SessionLists.For(suggested).Order(StringComparer.Ordinal), created.Into.Order(StringComparer.Ordinal));
        Assert.Empty(created.Off);
        Assert.Equal(SessionLists.For(scheduled.State).Order(StringComparer.Ordinal), moved.Into.Order(StringComparer.Ordinal));
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.Equal($"s-1:{scheduled.State.History.Length}:{NotificationType.SessionScheduled}", n.Draft.DeliveryKey));
    }

    // Lists confirmed, revision confirmed (0: the row's own) -> what an earlier row still had to publish.
    public static TheoryData<string[], bool, string[], string[]> EarlierRows => new()
    {
        // Listed everywhere at its revision: nothing left.
        { [Lists.Sup, Lists.Coach, Lists.T1, Lists.T2, Lists.Case], true, [], [] },
        // Never listed: every list.
        { [], false, [Lists.Sup, Lists.Coach, Lists.T1, Lists.T2, Lists.Case], [] },
        // Listed at an older revision: every list again, and off the one it left.
        { [Lists.Sup, "coach:old"], false, [Lists.Sup, Lists.Coach, Lists.T1, Lists.T2, Lists.Case], ["coach:old"] },
        // Listed at its revision on some: the rest.
        { [Lists.Sup, Lists.Coach], true, [Lists.T1, Lists.T2, Lists.Case], [] },
    };

    [Theory]
    [MemberData(nameof(EarlierRows))]
    public void A_row_of_the_earlier_design_publishes_what_its_confirmed_lists_lack(string[] indexedUnder, bool atItsRevision, string[] into, string[] off)
    {
        var s = Suggested();
        var placement = SessionEffects.Earlier(s, indexedUnder, atItsRevision ? SessionRow.Of(s).Revision : 0);

        Assert.Equal(into.Order(StringComparer.Ordinal), placement.Into.Order(StringComparer.Ordinal));
        Assert.Equal(off, placement.Off);
    }

    private static class Lists
    {
        public const string Sup = "supervisor:" + Supervisor;
        public const string Coach = "coach:" + Sessions.SessionFixtures.Coach;
        public const string T1 = "agent:" + Trainee1;
        public const string T2 = "agent:" + Trainee2;
        public const string Case = "case:CASE-9";
    }

    private static PendingNotice Notice(string key) =>
        new("c1", new NotificationDraft(key, NotificationType.AssessmentAssigned, "text", new NotificationSubject(NotificationSubjectKind.Assessment, "a-1")));
}
