using System.Text.Json;
using Coaching.Moments;

namespace Coaching.Domain.Tests.Moments;

public class MomentEvaluatorTests
{
    // JSON in the tables uses single quotes for readability; Q() turns them into double quotes.
    private static string Q(string json) => json.Replace('\'', '"');

    internal static EventFields Event(string fieldsJson, string? previousJson = null)
    {
        using var fields = JsonDocument.Parse(Q(fieldsJson));
        using var previous = JsonDocument.Parse(Q(previousJson ?? "null"));
        return EventFields.FromJson(fields.RootElement, previous.RootElement);
    }

    private static Condition Moment(string json)
    {
        var result = MomentParser.Parse(Q(json));
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Path + ": " + p.Message)));
        return result.Condition!;
    }

    [Theory]
    // changes: present in previous with a different value
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{'assigned_to':'u-17'}", "{'assigned_to':'u-42'}", true)]
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{'assigned_to':'u-17'}", "{'assigned_to':'u-17'}", false)]
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{'assigned_to':'u-17'}", "{}", false)]
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{'assigned_to':'u-17'}", null, false)]
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{'assigned_to':'u-17'}", "{'assigned_to':null}", true)]
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{}", "{'assigned_to':'u-42'}", true)]
    [InlineData("{'field':'assigned_to','operator':'changes'}", "{'assigned_to':null}", "{'assigned_to':''}", false)]
    [InlineData("{'field':'priority','operator':'changes'}", "{'priority':2}", "{'priority':'2'}", false)]
    [InlineData("{'field':'priority','operator':'changes'}", "{'priority':2}", "{'priority':'2.0'}", false)]
    [InlineData("{'field':'priority','operator':'changes'}", "{'priority':2}", "{'priority':3}", true)]
    [InlineData("{'field':'state','operator':'changes'}", "{'state':'Open'}", "{'state':'open'}", true)]
    // changes_to / changes_from
    [InlineData("{'field':'state','operator':'changes_to','value':'resolved'}", "{'state':'resolved'}", "{'state':'open'}", true)]
    [InlineData("{'field':'state','operator':'changes_to','value':'resolved'}", "{'state':'resolved'}", "{'state':'resolved'}", false)]
    [InlineData("{'field':'state','operator':'changes_to','value':'resolved'}", "{'state':'resolved'}", null, false)]
    [InlineData("{'field':'state','operator':'changes_to','value':'resolved'}", "{'state':'closed'}", "{'state':'open'}", false)]
    [InlineData("{'field':'state','operator':'changes_to','value':6}", "{'state':'6'}", "{'state':'2'}", true)]
    [InlineData("{'field':'state','operator':'changes_to','value':''}", "{}", "{'state':'2'}", true)]
    [InlineData("{'field':'state','operator':'changes_from','value':'open'}", "{'state':'resolved'}", "{'state':'open'}", true)]
    [InlineData("{'field':'state','operator':'changes_from','value':'open'}", "{'state':'resolved'}", "{'state':'new'}", false)]
    [InlineData("{'field':'state','operator':'changes_from','value':'open'}", "{'state':'open'}", "{'state':'open'}", false)]
    [InlineData("{'field':'state','operator':'changes_from','value':'open'}", "{}", "{'state':'open'}", true)]
    [InlineData("{'field':'state','operator':'changes_from','value':'open'}", "{'state':'open'}", null, false)]
    // is / is_not
    [InlineData("{'field':'category','operator':'is','value':'network'}", "{'category':'network'}", null, true)]
    [InlineData("{'field':'category','operator':'is','value':'network'}", "{'category':'Network'}", null, false)]
    [InlineData("{'field':'category','operator':'is','value':'network'}", "{}", null, false)]
    [InlineData("{'field':'category','operator':'is','value':'network'}", "{'category':null}", null, false)]
    [InlineData("{'field':'priority','operator':'is','value':1}", "{'priority':'1'}", null, true)]
    [InlineData("{'field':'priority','operator':'is','value':'1'}", "{'priority':1.0}", null, true)]
    [InlineData("{'field':'priority','operator':'is','value':'01'}", "{'priority':1}", null, true)]
    [InlineData("{'field':'vip','operator':'is','value':true}", "{'vip':true}", null, true)]
    [InlineData("{'field':'vip','operator':'is','value':'true'}", "{'vip':false}", null, false)]
    [InlineData("{'field':'category','operator':'is','value':''}", "{}", null, true)]
    [InlineData("{'field':'category','operator':'is_not','value':'network'}", "{'category':'network'}", null, false)]
    [InlineData("{'field':'category','operator':'is_not','value':'network'}", "{'category':'software'}", null, true)]
    [InlineData("{'field':'category','operator':'is_not','value':'network'}", "{}", null, true)]
    [InlineData("{'field':'priority','operator':'is_not','value':2}", "{'priority':'2.00'}", null, false)]
    // is_empty / is_not_empty
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{}", null, true)]
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{'work_notes':null}", null, true)]
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{'work_notes':''}", null, true)]
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{'work_notes':'  \\t'}", null, true)]
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{'work_notes':'called back'}", null, false)]
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{'work_notes':0}", null, false)]
    [InlineData("{'field':'work_notes','operator':'is_empty'}", "{'work_notes':false}", null, false)]
    [InlineData("{'field':'work_notes','operator':'is_not_empty'}", "{'work_notes':'called back'}", null, true)]
    [InlineData("{'field':'work_notes','operator':'is_not_empty'}", "{'work_notes':' '}", null, false)]
    [InlineData("{'field':'work_notes','operator':'is_not_empty'}", "{}", null, false)]
    // contains / not_contains / starts_with: case-insensitive
    [InlineData("{'field':'short_description','operator':'contains','value':'VPN'}", "{'short_description':'cannot reach vpn gateway'}", null, true)]
    [InlineData("{'field':'short_description','operator':'contains','value':'vpn'}", "{'short_description':'printer jam'}", null, false)]
    [InlineData("{'field':'short_description','operator':'contains','value':'vpn'}", "{}", null, false)]
    [InlineData("{'field':'short_description','operator':'contains','value':'vpn'}", "{'short_description':null}", null, false)]
    [InlineData("{'field':'code','operator':'contains','value':42}", "{'code':'E-4217'}", null, true)]
    [InlineData("{'field':'short_description','operator':'not_contains','value':'VPN'}", "{'short_description':'cannot reach vpn'}", null, false)]
    [InlineData("{'field':'short_description','operator':'not_contains','value':'vpn'}", "{'short_description':'printer jam'}", null, true)]
    [InlineData("{'field':'short_description','operator':'not_contains','value':'vpn'}", "{}", null, true)]
    [InlineData("{'field':'number','operator':'starts_with','value':'inc'}", "{'number':'INC0010042'}", null, true)]
    [InlineData("{'field':'number','operator':'starts_with','value':'INC'}", "{'number':'CHG0010042'}", null, false)]
    [InlineData("{'field':'number','operator':'starts_with','value':'INC'}", "{}", null, false)]
    [InlineData("{'field':'number','operator':'starts_with','value':'0010'}", "{'number':'INC0010042'}", null, false)]
    // greater_than / less_than: numbers as numbers, else ordinal
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':9}", "{'reassignment_count':'10'}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':'9'}", "{'reassignment_count':10}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':10}", "{'reassignment_count':10}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':2.5}", "{'reassignment_count':'2.75'}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':-1}", "{'reassignment_count':'-0.5'}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':1e3}", "{'reassignment_count':999}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':0}", "{}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':0}", "{'reassignment_count':null}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':0}", "{'reassignment_count':''}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':10}", "{'reassignment_count':'abc'}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':10}", "{'reassignment_count':'1,000'}", null, false)] // not a number: ordinal "1,000" < "10"
    [InlineData("{'field':'reassignment_count','operator':'greater_than','value':10}", "{'reassignment_count':'NaN'}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'less_than','value':10}", "{'reassignment_count':'9'}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'less_than','value':10}", "{'reassignment_count':'10.0'}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'less_than','value':10}", "{'reassignment_count':' 9 '}", null, true)]
    [InlineData("{'field':'reassignment_count','operator':'less_than','value':10}", "{}", null, false)]
    [InlineData("{'field':'reassignment_count','operator':'less_than','value':10}", "{'reassignment_count':'abc'}", null, false)]
    // is_one_of
    [InlineData("{'field':'category','operator':'is_one_of','value':['network','hardware']}", "{'category':'hardware'}", null, true)]
    [InlineData("{'field':'category','operator':'is_one_of','value':['network','hardware']}", "{'category':'Hardware'}", null, false)]
    [InlineData("{'field':'category','operator':'is_one_of','value':['network','hardware']}", "{'category':'software'}", null, false)]
    [InlineData("{'field':'category','operator':'is_one_of','value':['network','hardware']}", "{}", null, false)]
    [InlineData("{'field':'priority','operator':'is_one_of','value':['1','2']}", "{'priority':2}", null, true)]
    [InlineData("{'field':'priority','operator':'is_one_of','value':[1,2]}", "{'priority':'1.0'}", null, true)]
    [InlineData("{'field':'priority','operator':'is_one_of','value':[1,2]}", "{'priority':3}", null, false)]
    // objects and arrays in fields are their JSON text: never throw, compare as text
    [InlineData("{'field':'caller','operator':'contains','value':'u-9'}", "{'caller':{'value':'u-9'}}", null, true)]
    [InlineData("{'field':'tags','operator':'greater_than','value':1}", "{'tags':[1,2]}", null, true)]
    public void Leaf_operators(string moment, string fields, string? previous, bool expected)
    {
        Assert.Equal(expected, MomentEvaluator.Matches(Moment(moment), Event(fields, previous)));
    }

    [Theory]
    [InlineData("{'all':[{'field':'assigned_to','operator':'changes'},{'field':'priority','operator':'less_than','value':3}]}", "{'assigned_to':'u-1','priority':'2'}", "{'assigned_to':'u-2'}", true)]
    [InlineData("{'all':[{'field':'assigned_to','operator':'changes'},{'field':'priority','operator':'less_than','value':3}]}", "{'assigned_to':'u-1','priority':'4'}", "{'assigned_to':'u-2'}", false)]
    [InlineData("{'all':[{'field':'assigned_to','operator':'changes'},{'field':'priority','operator':'less_than','value':3}]}", "{'assigned_to':'u-1','priority':'2'}", "{}", false)]
    [InlineData("{'any':[{'field':'state','operator':'is','value':'7'},{'field':'escalated','operator':'is','value':true}]}", "{'state':'2','escalated':true}", null, true)]
    [InlineData("{'any':[{'field':'state','operator':'is','value':'7'},{'field':'escalated','operator':'is','value':true}]}", "{'state':'2','escalated':false}", null, false)]
    [InlineData("{'all':[{'field':'table_kind','operator':'is','value':'x'},{'any':[{'field':'a','operator':'is_empty'},{'all':[{'field':'b','operator':'changes_to','value':'y'},{'field':'c','operator':'is_not_empty'}]}]}]}", "{'table_kind':'x','a':'set','b':'y','c':'z'}", "{'b':'w'}", true)]
    [InlineData("{'all':[{'field':'table_kind','operator':'is','value':'x'},{'any':[{'field':'a','operator':'is_empty'},{'all':[{'field':'b','operator':'changes_to','value':'y'},{'field':'c','operator':'is_not_empty'}]}]}]}", "{'table_kind':'x','a':'set','b':'y'}", "{'b':'w'}", false)]
    [InlineData("{'all':[{'field':'table_kind','operator':'is','value':'x'},{'any':[{'field':'a','operator':'is_empty'},{'all':[{'field':'b','operator':'changes_to','value':'y'},{'field':'c','operator':'is_not_empty'}]}]}]}", "{'table_kind':'x'}", null, true)]
    public void Nested_groups(string moment, string fields, string? previous, bool expected)
    {
        Assert.Equal(expected, MomentEvaluator.Matches(Moment(moment), Event(fields, previous)));
    }

    [Fact]
    public void Changed_fields_lists_only_real_changes_in_previous_order()
    {
        var e = Event("{'a':'1','b':'x','c':null,'d':5}", "{'d':'5.0','b':'y','a':'1','c':'','e':'gone'}");
        Assert.Equal(["b", "e"], e.ChangedFields());
        Assert.True(e.Changed("e"));
        Assert.False(e.Changed("missing"));
    }

    [Fact]
    public void Dictionary_input_evaluates_like_json_input()
    {
        var e = EventFields.From(
            new Dictionary<string, string?> { ["assigned_to"] = "u-17", ["priority"] = "10" },
            new Dictionary<string, string?> { ["assigned_to"] = "u-42" });
        Assert.True(MomentEvaluator.Matches(Moment("{'all':[{'field':'assigned_to','operator':'changes_to','value':'u-17'},{'field':'priority','operator':'greater_than','value':9}]}"), e));
    }

    [Fact]
    public void Previous_absent_or_not_an_object_means_nothing_changed()
    {
        var condition = Moment("{'field':'a','operator':'changes'}");
        Assert.False(MomentEvaluator.Matches(condition, Event("{'a':'1'}", "'oops'")));
        Assert.False(MomentEvaluator.Matches(condition, Event("{'a':'1'}", "[1]")));
    }

    [Fact]
    public void Evaluation_does_not_allocate()
    {
        var condition = Moment("{'all':[{'field':'assigned_to','operator':'changes'},{'any':[{'field':'priority','operator':'greater_than','value':2},{'field':'short_description','operator':'contains','value':'VPN'},{'field':'category','operator':'is_one_of','value':['a','b','network']}]}]}");
        var e = Event("{'assigned_to':'u-1','priority':'1','short_description':'vpn down','category':'network'}", "{'assigned_to':'u-2'}");
        Assert.True(MomentEvaluator.Matches(condition, e));

        // The runtime may allocate on this thread while it recompiles the evaluator mid-loop (tiered compilation):
        // the fewest bytes of a few rounds is the evaluator's own, and any per-call allocation shows in every round.
        var fewest = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var matched = 0;
            for (var i = 0; i < 1000; i++)
            {
                matched += MomentEvaluator.Matches(condition, e) ? 1 : 0;
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(1000, matched);
        }

        Assert.Equal(0, fewest);
    }
}
