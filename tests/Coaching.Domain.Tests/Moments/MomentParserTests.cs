using System.Text;
using Coaching.Moments;

namespace Coaching.Domain.Tests.Moments;

public class MomentParserTests
{
    private static string Q(string json) => json.Replace('\'', '"');

    [Theory]
    [InlineData("{'all':[{'field':'assigned_to','operator':'changes'}]}")]
    [InlineData("{'any':[{'field':'a','operator':'is','value':'x'},{'field':'b','operator':'is_empty'}]}")]
    [InlineData("{'field':'assigned_to','operator':'changes'}")]
    [InlineData("{'field':'assigned_to','operator':'changes','value':null}")]
    [InlineData("{'field':'n','operator':'greater_than','value':'12.5'}")]
    [InlineData("{'field':'n','operator':'less_than','value':-3}")]
    [InlineData("{'field':'c','operator':'is_one_of','value':['a',1,true]}")]
    [InlineData("{'field':'c','operator':'is','value':''}")]
    [InlineData("{'all':[{'any':[{'all':[{'field':'x','operator':'is_not_empty'}]}]}]}")]
    public void Accepts_valid_moments(string json)
    {
        var result = MomentParser.Parse(Q(json));
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Path + ": " + p.Message)));
        Assert.Empty(result.Problems);
    }

    [Theory]
    [InlineData("'changes'", "moment", "must be an object")]
    [InlineData("[]", "moment", "must be an object")]
    [InlineData("{}", "moment.field", "is required")]
    [InlineData("{'all':[]}", "moment.all", "at least one")]
    [InlineData("{'any':{}}", "moment.any", "must be an array")]
    [InlineData("{'all':[{'field':'a','operator':'changes'}],'any':[{'field':'a','operator':'changes'}]}", "moment", "not both")]
    [InlineData("{'all':[{'field':'a','operator':'changes'}],'field':'b'}", "moment.field", "Unknown property")]
    [InlineData("{'all':[1]}", "moment.all[0]", "must be an object")]
    [InlineData("{'field':'a','operator':'equals','value':'x'}", "moment.operator", "Unknown operator")]
    [InlineData("{'field':'a','operator':'IS','value':'x'}", "moment.operator", "Unknown operator")]
    [InlineData("{'field':'a','operator':7}", "moment.operator", "must be a string")]
    [InlineData("{'field':'a'}", "moment.operator", "is required")]
    [InlineData("{'operator':'changes'}", "moment.field", "is required")]
    [InlineData("{'field':'  ','operator':'changes'}", "moment.field", "must not be empty")]
    [InlineData("{'field':3,'operator':'changes'}", "moment.field", "must be a string")]
    [InlineData("{'field':'a','operator':'changes','value':'x'}", "moment.value", "takes no value")]
    [InlineData("{'field':'a','operator':'is_empty','value':''}", "moment.value", "takes no value")]
    [InlineData("{'field':'a','operator':'is_not_empty','value':false}", "moment.value", "takes no value")]
    [InlineData("{'field':'a','operator':'is'}", "moment.value", "needs a value")]
    [InlineData("{'field':'a','operator':'is','value':null}", "moment.value", "needs a value")]
    [InlineData("{'field':'a','operator':'changes_to'}", "moment.value", "needs a value")]
    [InlineData("{'field':'a','operator':'changes_from','value':{}}", "moment.value", "string, number or boolean")]
    [InlineData("{'field':'a','operator':'is_not','value':['x']}", "moment.value", "string, number or boolean")]
    [InlineData("{'field':'a','operator':'contains','value':''}", "moment.value", "non-empty")]
    [InlineData("{'field':'a','operator':'not_contains'}", "moment.value", "needs a value")]
    [InlineData("{'field':'a','operator':'starts_with','value':''}", "moment.value", "non-empty")]
    [InlineData("{'field':'a','operator':'greater_than','value':'ten'}", "moment.value", "needs a number")]
    [InlineData("{'field':'a','operator':'less_than'}", "moment.value", "needs a number")]
    [InlineData("{'field':'a','operator':'less_than','value':true}", "moment.value", "needs a number")]
    [InlineData("{'field':'a','operator':'greater_than','value':1e999}", "moment.value", "needs a number")]
    [InlineData("{'field':'a','operator':'greater_than','value':'Infinity'}", "moment.value", "needs a number")]
    [InlineData("{'field':'a','operator':'is_one_of','value':[]}", "moment.value", "non-empty list")]
    [InlineData("{'field':'a','operator':'is_one_of','value':'x'}", "moment.value", "non-empty list")]
    [InlineData("{'field':'a','operator':'is_one_of'}", "moment.value", "non-empty list")]
    [InlineData("{'field':'a','operator':'is_one_of','value':['x',null]}", "moment.value[1]", "string, number or boolean")]
    [InlineData("{'field':'a','operator':'is','value':'x','values':['y']}", "moment.values", "Unknown property")]
    [InlineData("{'field':'a','operator':'is','value':'x','value':'y'}", "moment.value", "more than once")]
    [InlineData("{'any':[{'field':'a','operator':'changes'},{'all':[{'field':'b','operator':'nope'}]}]}", "moment.any[1].all[0].operator", "Unknown operator")]
    [InlineData("{'field':'a','operator'", "moment", "Not valid JSON")]
    public void Rejects_malformed_moments_with_a_path(string json, string path, string message)
    {
        var result = MomentParser.Parse(Q(json));
        Assert.False(result.IsValid);
        Assert.Null(result.Condition);
        Assert.Contains(result.Problems, p => p.Path == path && p.Message.Contains(message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Reports_several_problems_at_once()
    {
        var result = MomentParser.Parse(Q("{'all':[{'field':'','operator':'changes'},{'field':'b','operator':'bogus'},{'field':'c','operator':'is'}]}"));
        Assert.Equal(["moment.all[0].field", "moment.all[1].operator", "moment.all[2].value"], result.Problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(16, false)]
    [InlineData(30, false)]
    public void Limits_nesting_depth(int groups, bool valid)
    {
        var json = new StringBuilder();
        for (var i = 0; i < groups; i++)
        {
            json.Append("{\"all\":[");
        }

        json.Append("{\"field\":\"a\",\"operator\":\"changes\"}");
        for (var i = 0; i < groups; i++)
        {
            json.Append("]}");
        }

        var result = MomentParser.Parse(json.ToString());
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Contains(result.Problems, p => p.Message.Contains("nested", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Hostile_depth_beyond_json_limit_is_a_problem_not_a_crash()
    {
        var json = string.Concat(Enumerable.Repeat("{\"all\":[", 10_000)) + string.Concat(Enumerable.Repeat("]}", 10_000));
        var result = MomentParser.Parse(json);
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Problems);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, false)]
    [InlineData(100_000, false)]
    public void Limits_condition_count(int leaves, bool valid)
    {
        var json = "{\"any\":[" + string.Join(",", Enumerable.Repeat("{\"field\":\"a\",\"operator\":\"changes\"}", leaves)) + "]}";
        var result = MomentParser.Parse(json);
        Assert.Equal(valid, result.IsValid);
        Assert.True(result.Problems.Count <= MomentLimits.Default.MaxProblems);
        if (!valid)
        {
            Assert.Contains(result.Problems, p => p.Message.Contains("at most 200 conditions", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Problems_are_capped_for_hostile_input()
    {
        var json = "{\"any\":[" + string.Join(",", Enumerable.Repeat("{\"field\":\"a\",\"operator\":\"x\"}", 150)) + "]}";
        var result = MomentParser.Parse(json);
        Assert.Equal(MomentLimits.Default.MaxProblems, result.Problems.Count);
    }

    [Fact]
    public void Limits_list_and_text_size()
    {
        var list = "{\"field\":\"a\",\"operator\":\"is_one_of\",\"value\":[" + string.Join(",", Enumerable.Range(0, 501).Select(i => $"\"v{i}\"")) + "]}";
        Assert.False(MomentParser.Parse(list).IsValid);
        var text = "{\"field\":\"a\",\"operator\":\"is\",\"value\":\"" + new string('x', 1025) + "\"}";
        Assert.False(MomentParser.Parse(text).IsValid);
        var limits = MomentLimits.Default with { MaxTextLength = 2000 };
        Assert.True(MomentParser.Parse(text, limits).IsValid);
    }

    [Fact]
    public void Builds_the_expected_tree()
    {
        var result = MomentParser.Parse(Q("{'any':[{'field':'a','operator':'changes'},{'all':[{'field':'n','operator':'greater_than','value':2.5},{'field':'c','operator':'is_one_of','value':['x',3]}]}]}"));
        var any = Assert.IsType<AnyCondition>(result.Condition);
        Assert.Equal(new LeafCondition("a", ConditionOperator.Changes, null), any.Conditions[0]);
        var all = Assert.IsType<AllCondition>(any.Conditions[1]);
        var n = Assert.IsType<LeafCondition>(all.Conditions[0]);
        Assert.Equal(ConditionOperator.GreaterThan, n.Operator);
        Assert.Equal(2.5, n.Value!.Number);
        var c = Assert.IsType<LeafCondition>(all.Conditions[1]);
        Assert.Equal(["x", "3"], c.Value!.Items.ToArray());
    }

    [Theory]
    [InlineData("{'all':[{'field':'assigned_to','operator':'changes'}]}")]
    [InlineData("{'any':[{'field':'n','operator':'greater_than','value':1.50},{'all':[{'field':'c','operator':'is_one_of','value':['x','y']},{'field':'s','operator':'is','value':'10'}]}]}")]
    [InlineData("{'field':'s','operator':'changes_to','value':7}")]
    public void Writes_back_what_it_read(string json)
    {
        var parsed = MomentParser.Parse(Q(json)).Condition!;
        var written = MomentWriter.ToJson(parsed);
        Assert.Equal(Q(json), written);
        Assert.Equal(parsed, MomentParser.Parse(MomentWriter.ToJsonElement(parsed)).Condition);
    }

    [Fact]
    public void Structural_equality_of_trees()
    {
        var a = MomentParser.Parse(Q("{'all':[{'field':'c','operator':'is_one_of','value':['x','y']}]}")).Condition!;
        var b = MomentParser.Parse(Q("{'all':[{'field':'c','operator':'is_one_of','value':['x','y']}]}")).Condition!;
        var c = MomentParser.Parse(Q("{'any':[{'field':'c','operator':'is_one_of','value':['x','y']}]}")).Condition!;
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Operator_wire_names_round_trip()
    {
        Assert.Equal(13, ConditionOperators.WireNames.Count);
        foreach (var op in Enum.GetValues<ConditionOperator>())
        {
            Assert.True(ConditionOperators.TryParse(op.ToWire(), out var parsed));
            Assert.Equal(op, parsed);
        }
    }
}
