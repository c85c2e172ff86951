using System.Diagnostics;
using Coaching.Scripts;
using Xunit.Abstractions;

namespace Coaching.Domain.Tests.Scripts;

[Collection(ScriptTiming.Name)]
public class CaptureScriptTests
{
    private static readonly Dictionary<string, string?> Current = new()
    {
        ["assigned_to"] = "u-17",
        ["priority"] = "2",
        ["short_description"] = "VPN down",
        ["resolution_code"] = null,
    };

    private static readonly Dictionary<string, string?> Previous = new() { ["assigned_to"] = "u-42" };
    private static readonly string[] Changes = ["assigned_to"];

    private static CaptureScript Compiled(string source, CaptureScriptLimits? limits = null)
    {
        var compilation = CaptureScript.Compile(source, limits);
        Assert.True(compilation.Succeeded, compilation.Error);
        return compilation.Script;
    }

    private static CaptureScriptResult Run(string source, CaptureScriptLimits? limits = null) =>
        Compiled(source, limits).Run(Current, Previous, Changes);

    [Theory]
    [InlineData("return { reassigned: previous.assigned_to + ' -> ' + current.assigned_to };", "reassigned", "u-42 -> u-17")]
    [InlineData("return { p: Number(current.priority) + 1 };", "p", "3")]
    [InlineData("return { half: Number(current.priority) / 4 };", "half", "0.5")]
    [InlineData("return { urgent: current.priority === '1' };", "urgent", "false")]
    [InlineData("return { changed: changes.join(',') };", "changed", "assigned_to")]
    [InlineData("return { count: changes.length };", "count", "1")]
    [InlineData("return { code: current.resolution_code };", "code", null)]
    [InlineData("return { missing: current.nope };", "missing", null)]
    [InlineData("return { obj: { a: 1, b: [true, 'x'] } };", "obj", "{\"a\":1,\"b\":[true,\"x\"]}")]
    [InlineData("return { upper: current.short_description.toUpperCase() };", "upper", "VPN DOWN")]
    [InlineData("const parts = []; for (const k of Object.keys(current)) { parts.push(k); } return { keys: parts.sort().join('|') };", "keys", "assigned_to|priority|resolution_code|short_description")]
    [InlineData("function f(n) { return n <= 1 ? 1 : n * f(n - 1); } return { fact: f(10) };", "fact", "3628800")]
    [InlineData("return { matched: /vpn/i.test(current.short_description) };", "matched", "true")]
    public void Returns_values_to_merge(string source, string name, string? expected)
    {
        var result = Run(source);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Values[name]);
    }

    [Theory]
    [InlineData("return;")]
    [InlineData("return null;")]
    [InlineData("const x = 1;")]
    [InlineData("return {};")]
    public void Returning_nothing_adds_nothing(string source)
    {
        var result = Run(source);
        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Values);
    }

    [Fact]
    public void Returns_all_properties()
    {
        var result = Run("return { a: 'x', b: 2, c: null };");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new Dictionary<string, string?> { ["a"] = "x", ["b"] = "2", ["c"] = null }, result.Values);
    }

    [Theory]
    [InlineData("return 42;", "must return an object")]
    [InlineData("return 'text';", "must return an object")]
    [InlineData("return [1, 2];", "must return an object")]
    [InlineData("throw new Error('boom');", "boom")]
    [InlineData("return { x: current.nope.deeper };", "Script error")]
    [InlineData("undeclared = 1; return {};", "Script error")]
    [InlineData("const o = {}; o.self = o; return { o: o };", "Script error")]
    public void Runtime_failures_are_results(string source, string message)
    {
        var result = Run(source);
        Assert.False(result.Succeeded);
        Assert.Null(result.Values);
        Assert.Contains(message, result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("while (true) {}", "statements")]
    [InlineData("for (;;) { }", "statements")]
    [InlineData("function f() { return f() + 1; } return { x: f() };", "nested")]
    [InlineData("const f = () => f(); f();", "nested")]
    [InlineData("let s = 'x'; while (true) { s = s + s; }", "")]
    [InlineData("const a = []; while (true) { a.push(new Array(1000).fill('x')); }", "")]
    [InlineData("const a = []; for (let i = 0; i < 1e9; i++) { a.push({ i: i, s: 'abc' + i }); }", "")]
    [InlineData("return { s: 'x'.repeat(1 << 28) };", "")]
    [InlineData("return { a: new Array(4294967295).fill(0).length };", "")]
    [InlineData("return { x: JSON.stringify(new Array(9000).fill('x'.repeat(1000))) };", "")]
    public void Runaway_scripts_are_stopped_quickly(string source, string message)
    {
        // Where the test names the limit that must stop the script, the clock is loosened so that a slow, loaded
        // machine cannot trip it first; the unnamed cases may be stopped by any limit, the default clock included.
        var script = Compiled(source, message.Length == 0 ? null : CaptureScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();
        var result = script.Run(Current, Previous, Changes);
        clock.Stop();
        Assert.False(result.Succeeded, "the script should have been stopped");
        Assert.Contains(message, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Wall_time_limit_stops_a_slow_script_that_stays_under_the_statement_limit()
    {
        var limits = CaptureScriptLimits.Default with { MaxStatements = int.MaxValue, Timeout = TimeSpan.FromMilliseconds(50) };
        var clock = Stopwatch.StartNew();
        var result = Run("let i = 0; while (true) { i++; }", limits);
        clock.Stop();
        Assert.False(result.Succeeded);
        Assert.Contains("ms", result.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Memory_limit_applies()
    {
        // Only the memory limit is tight here, so a slow, loaded machine cannot trip the clock first.
        var limits = CaptureScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(30), MaxStatements = int.MaxValue };
        var result = Run("const a = []; for (let i = 0; i < 9000; i++) { a.push('x'.repeat(1000) + i); } return { n: a.length };", limits);
        Assert.False(result.Succeeded);
        Assert.Contains("bytes", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return { t: typeof System };", "undefined")]
    [InlineData("return { t: typeof importNamespace };", "undefined")]
    [InlineData("return { t: typeof require };", "undefined")]
    [InlineData("return { t: typeof process };", "undefined")]
    [InlineData("return { t: typeof fetch };", "undefined")]
    [InlineData("return { t: typeof XMLHttpRequest };", "undefined")]
    [InlineData("return { t: typeof console };", "undefined")]
    [InlineData("return { t: typeof setTimeout };", "undefined")]
    [InlineData("return { t: typeof host };", "undefined")]
    public void No_host_or_clr_access(string source, string expected)
    {
        var result = Run(source);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Values["t"]);
    }

    [Theory]
    [InlineData("return { x: eval('1 + 1') };")]
    [InlineData("return { x: new Function('return 1')() };")]
    [InlineData("return { x: current.constructor.constructor('return this')() };")]
    [InlineData("return { x: System.IO.File.ReadAllText('/etc/passwd') };")]
    [InlineData("return { x: importNamespace('System.IO').File.ReadAllText('/etc/passwd') };")]
    public void Escape_attempts_fail(string source)
    {
        var result = Run(source);
        Assert.False(result.Succeeded);
        Assert.Null(result.Values);
    }

    [Theory]
    [InlineData("current.assigned_to = 'u-1'; return { a: current.assigned_to };")]
    [InlineData("delete current.assigned_to; return { a: current.assigned_to };")]
    [InlineData("changes.push('x'); return { a: current.assigned_to };")]
    [InlineData("Object.defineProperty(previous, 'assigned_to', { value: 'u-1' }); return { a: current.assigned_to };")]
    public void Inputs_are_read_only(string source)
    {
        var before = new Dictionary<string, string?>(Current);
        var result = Run(source);
        // Strict mode turns the write into a TypeError: the script fails instead of silently capturing a wrong value.
        Assert.False(result.Succeeded);
        Assert.Contains("Script error", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Current);
        Assert.Equal("u-42", Previous["assigned_to"]);
        Assert.Equal(["assigned_to"], Changes);
    }

    [Fact]
    public void Caught_mutation_has_no_effect()
    {
        var result = Run("try { current.assigned_to = 'u-1'; } catch (e) { } return { a: current.assigned_to, frozen: Object.isFrozen(current) && Object.isFrozen(changes) };");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("u-17", result.Values["a"]);
        Assert.Equal("true", result.Values["frozen"]);
    }

    [Fact]
    public void Runs_do_not_leak_into_each_other()
    {
        var polluter = Compiled("Object.prototype.leak = 'yes'; globalThis.counter = (globalThis.counter || 0) + 1; return { n: globalThis.counter };");
        Assert.Equal("1", polluter.Run(Current, Previous, Changes).Values!["n"]);
        Assert.Equal("1", polluter.Run(Current, Previous, Changes).Values!["n"]);
        var reader = Run("return { leak: typeof ({}).leak };");
        Assert.Equal("undefined", reader.Values!["leak"]);
    }

    [Fact]
    public void Overwritten_intrinsics_do_not_break_the_result()
    {
        var result = Run("Object.keys = function () { return ['evil']; }; JSON.stringify = null; return { a: 'ok', o: { b: 1 } };");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("ok", result.Values["a"]);
        Assert.Equal("{\"b\":1}", result.Values["o"]);
    }

    [Fact]
    public void Getters_on_the_result_run_under_the_limits()
    {
        // The statement limit must be what stops it, so the clock is loosened for a loaded machine.
        var result = Run("return { get x() { while (true) {} } };", CaptureScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(1) });
        Assert.False(result.Succeeded);
        Assert.Contains("statements", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return { a: ;", "Syntax error")]
    [InlineData("return {", "Syntax error")]
    [InlineData("}); (function () {", "")]
    [InlineData("} + function () {", "")]
    [InlineData("with (current) { }", "Syntax error")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void Compile_errors_are_rejected(string source, string message)
    {
        var compilation = CaptureScript.Compile(source);
        Assert.False(compilation.Succeeded);
        Assert.Null(compilation.Script);
        Assert.Contains(message, compilation.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Source_length_is_limited()
    {
        var source = "return { a: '" + new string('x', 20_000) + "' };";
        Assert.False(CaptureScript.Compile(source).Succeeded);
        Assert.True(CaptureScript.Compile(source, CaptureScriptLimits.Default with { MaxSourceLength = 30_000 }).Succeeded);
    }

    [Fact]
    public void Result_size_is_limited()
    {
        var many = Run("const o = {}; for (let i = 0; i < 101; i++) { o['k' + i] = i; } return o;");
        Assert.False(many.Succeeded);
        Assert.Contains("properties", many.Error, StringComparison.Ordinal);
        var long_ = Run("return { big: 'x'.repeat(9000) };");
        Assert.False(long_.Succeeded);
        Assert.Contains("longer than", long_.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_error_positions_match_the_source_lines()
    {
        var result = Run("const a = 1;\nconst b = 2;\nthrow new Error('on line 3');");
        Assert.False(result.Succeeded);
        Assert.Contains("line 3", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_from_event_fields()
    {
        var fields = Coaching.Moments.EventFields.From(
            new Dictionary<string, string?> { ["assigned_to"] = "u-17", ["state"] = "2" },
            new Dictionary<string, string?> { ["assigned_to"] = "u-42", ["state"] = "2" });
        var result = Compiled("return { changed: changes.join(','), from: previous.assigned_to };").Run(fields);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("assigned_to", result.Values["changed"]);
        Assert.Equal("u-42", result.Values["from"]);
    }

    [Fact]
    public void A_compiled_script_is_reusable_across_threads()
    {
        var script = Compiled("return { who: current.assigned_to, n: Number(current.priority) * 2 };");
        var results = new CaptureScriptResult[64];
        Parallel.For(0, results.Length, i =>
            results[i] = script.Run(new Dictionary<string, string?> { ["assigned_to"] = "u-" + i, ["priority"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Previous, Changes));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].Succeeded, results[i].Error);
            Assert.Equal("u-" + i, results[i].Values!["who"]);
            Assert.Equal((i * 2).ToString(System.Globalization.CultureInfo.InvariantCulture), results[i].Values!["n"]);
        }
    }
}

[Collection(ScriptTiming.Name)]
public class CaptureScriptHostileAllocationTests
{
    [Theory]
    [InlineData("return { s: 'x'.repeat(1 << 28) };")]
    [InlineData("return { s: 'x'.padStart(1 << 28) };")]
    [InlineData("return { s: 'x'.padEnd(1 << 28, 'ab') };")]
    [InlineData("const r = String.prototype.repeat; Function.prototype.call = null; return { s: r.call('x', 1 << 28) };")]
    [InlineData("return { s: new Array(10000).fill('x'.repeat(100000)).join('').length };")]
    [InlineData("return { s: JSON.stringify(new Array(10000).fill('x'.repeat(100000))).length };")]
    [InlineData("return { s: Array.from({ length: 1e9 }).length };")]
    [InlineData("let s = 'x'.repeat(500000); return { n: s.split('').length };")]
    public void Stopped_quickly(string source)
    {
        var script = CaptureScript.Compile(source).Script!;
        var clock = Stopwatch.StartNew();
        var result = script.Run(new Dictionary<string, string?>(), new Dictionary<string, string?>(), []);
        clock.Stop();
        Assert.False(result.Succeeded);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}

[Collection(ScriptTiming.Name)]
public class CaptureScriptCostTests(ITestOutputHelper output)
{
    [Fact]
    public void A_typical_run_costs_well_under_the_time_limit()
    {
        var script = CaptureScript.Compile("return { reassigned: previous.assigned_to + ' -> ' + current.assigned_to, p: Number(current.priority) + 1 };").Script!;
        var current = new Dictionary<string, string?> { ["assigned_to"] = "u-17", ["priority"] = "2", ["short_description"] = "VPN down" };
        var previous = new Dictionary<string, string?> { ["assigned_to"] = "u-42" };
        for (var i = 0; i < 50; i++)
        {
            Assert.True(script.Run(current, previous, ["assigned_to"]).Succeeded);
        }

        const int runs = 500;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            script.Run(current, previous, ["assigned_to"]);
        }

        var perRun = clock.Elapsed / runs;
        output.WriteLine($"engine + run: {perRun.TotalMicroseconds:F0} µs per run");
        Assert.True(perRun < TimeSpan.FromMilliseconds(5), $"{perRun.TotalMicroseconds} µs per run");
    }
}
