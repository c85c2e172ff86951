using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Coaching.Scripts;

/// <summary>A limit hit inside a built-in call; not a JavaScript error, so no script <c>catch</c> can swallow it.</summary>
internal sealed class CaptureScriptLimitException(string message) : Exception(message);

/// <summary>
/// Puts a checkpoint in front of the built-ins through which one native call could run unbounded, installed on a
/// fresh engine before any user code runs.
/// </summary>
/// <remarks>
/// <para>Why: Jint checks its limits (time, statements, memory) between statements and probes the stack only when
/// it enters a script function. A chain of built-ins that call each other without a script function in between
/// never reaches either: a 9,000-deep array converted to text, <c>o.toString = String.prototype.trim</c> (which
/// converts its <c>this</c>, i.e. calls itself), <c>Array.prototype.forEach.bind(a, f)</c> nested three deep (a
/// 10^12-step loop with no statement), or one call that builds a 2 GiB string. Each guarded built-in goes through
/// <see cref="Enter"/> first: the call counts towards the recursion limit (<see cref="Engine.Call(JsValue, JsValue, JsValue[])"/>
/// pushes a frame), probes the stack, and checks the clock and the memory budget. A recursion or a loop of
/// built-ins must pass through one of them (generic <c>this</c> conversions, callback loops, <c>bind</c>), so it
/// meets a checkpoint at every turn.</para>
/// <para>The guarded set, and why each: every method of <c>Array.prototype</c>, <c>String.prototype</c>,
/// <c>RegExp.prototype</c> and <c>Function.prototype</c> (they convert or read a generic <c>this</c>, or loop over
/// callbacks); on <c>Object.prototype</c>, <c>Error.prototype</c> and <c>Date.prototype</c> the ones that convert
/// <c>this</c> or call a method of it; the callback loops of Map/Set/Array.from/JSON/Promise; <c>Reflect</c>.
/// Built-ins that need an internal slot in <c>this</c> (Number, Map, ... methods) cannot call themselves through
/// a conversion and stay as they are, so a typical run pays for few wrappers.</para>
/// <para>Size: the calls that can build a large value in one step convert each argument exactly once, compute the
/// size of the result from the converted values, refuse past <see cref="CaptureScriptLimits.MaxStringLength"/> or
/// <see cref="CaptureScriptLimits.MaxArraySize"/>, and only then call the original with the converted values (so a
/// <c>valueOf</c> that answers 1 the first time and 2^28 the second has nothing to answer). Join, toLocaleString
/// and String.raw are rebuilt here to check the text as it grows.</para>
/// </remarks>
internal sealed class GuardedBuiltIns
{
    // Methods (by owner) that convert `this` or call back into user code; "*" guards every method of the owner.
    private static readonly (string Owner, string[] Names)[] Guarded =
    [
        ("Array.prototype", ["*"]),
        ("String.prototype", ["*"]),
        ("RegExp.prototype", ["*"]),
        ("Function.prototype", ["*"]),
        ("Object.prototype", ["toString", "toLocaleString", "valueOf", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]),
        ("Error.prototype", ["toString"]),
        ("Date.prototype", ["toJSON", "@@toPrimitive"]),
        ("Map.prototype", ["forEach"]),
        ("Set.prototype", ["forEach"]),
        ("Promise.prototype", ["then"]),
        ("Array", ["from", "of"]),
        ("String", ["raw", "fromCharCode", "fromCodePoint"]),
        ("Object", ["groupBy", "fromEntries", "keys", "values", "entries", "getOwnPropertyNames", "getOwnPropertyDescriptors", "assign"]),
        ("Map", ["groupBy"]),
        ("JSON", ["stringify", "parse"]),
        ("Reflect", ["apply", "construct", "get", "set"]),
        ("Iterator.prototype", ["*"]),
        ("globalThis", ["encodeURI", "encodeURIComponent", "escape"]),
    ];

    /// <summary>
    /// Intrinsics a capture script has no use for and whose single calls are hard to bound: buffers and typed
    /// arrays allocate their whole size in one call (<c>new ArrayBuffer(2e9)</c>) and have their own loops;
    /// Atomics waits; WeakRef/FinalizationRegistry depend on the GC; a Proxy turns every property read into a call
    /// that no guard sees; a ShadowRealm is a second set of built-ins, unguarded. Deleting the names is enough:
    /// nothing else hands them out.
    /// </summary>
    private static readonly string[] Removed =
    [
        "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "WeakRef", "FinalizationRegistry", "Proxy", "ShadowRealm",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    ];

    private const int ParsedBytesPerCharacter = 32;

    private static readonly Prepared<Script> RegExpConstructor = Engine.PrepareScript("""
        (function (original, pattern, construct) {
          return function RegExp(source, flags) {
            source = pattern(source);
            return new.target ? construct(original, [source, flags], new.target) : original(source, flags);
          };
        })
        """, strict: true);

    private readonly Engine engine;
    private readonly CaptureScriptLimits limits;
    private readonly long deadline;
    private readonly long allocatedAtStart;
    private readonly JsValue rangeError;
    private readonly HashSet<ObjectInstance> joining = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Function> wrappers = new(300, ReferenceEqualityComparer.Instance);

    private GuardedBuiltIns(Engine engine, CaptureScriptLimits limits, long started)
    {
        this.engine = engine;
        this.limits = limits;
        deadline = started + (long)(limits.Timeout.TotalSeconds * Stopwatch.Frequency);
        allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        rangeError = engine.Global.Get("RangeError");
    }

    /// <summary>Guards the built-ins of <paramref name="engine"/>; <paramref name="started"/> is the run's start (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void Install(Engine engine, CaptureScriptLimits limits, long started)
    {
        var guard = new GuardedBuiltIns(engine, limits, started);
        var global = engine.Global;
        foreach (var name in Removed)
        {
            global.RemoveOwnProperty(name);
        }

        // Iterator.prototype.join (a proposal) builds one string from an iterator that may never end, in a buffer
        // that doubles between two checkpoints: a capture script has no use for it.
        Resolve(global, "Iterator.prototype")?.RemoveOwnProperty("join");
        guard.GuardRegExpConstructor(global);
        foreach (var (owner, names) in Guarded)
        {
            if (Resolve(global, owner) is { } target)
            {
                guard.GuardMethods(target, owner, names);
            }
        }
    }

    private static ObjectInstance? Resolve(ObjectInstance global, string path)
    {
        JsValue target = global;
        foreach (var part in path.Split('.'))
        {
            target = target is ObjectInstance o ? o.Get(part) : JsValue.Undefined;
        }

        return target as ObjectInstance;
    }

    private void GuardMethods(ObjectInstance owner, string ownerName, string[] names)
    {
        // Named properties are looked up one by one: enumerating an owner such as the global object would create
        // every lazily built intrinsic (a millisecond per run).
        var all = names is ["*"];
        var properties = all || names.Any(n => n.StartsWith("@@", StringComparison.Ordinal))
            ? owner.GetOwnProperties().ToList()
            : names.Select(n => new KeyValuePair<JsValue, PropertyDescriptor>(n, owner.GetOwnProperty(n))).Where(p => p.Value != PropertyDescriptor.Undefined).ToList();
        foreach (var (key, descriptor) in properties)
        {
            var name = key.IsSymbol() ? "@@" + key.ToString()["Symbol(Symbol.".Length..^1] : key.ToString();
            if (name == "constructor" || (!all && Array.IndexOf(names, name) < 0))
            {
                continue;
            }

            if (descriptor.IsAccessorDescriptor())
            {
                var get = descriptor.Get is Function g ? Wrap(g, "get " + name, Plain(g)) : descriptor.Get;
                var set = descriptor.Set is Function s ? Wrap(s, "set " + name, Plain(s)) : descriptor.Set;
                owner.RemoveOwnProperty(key);
                owner.DefineOwnProperty(key, new GetSetPropertyDescriptor(get, set, descriptor.Enumerable, descriptor.Configurable));
            }
            else if (descriptor.Value is Function original)
            {
                owner.RemoveOwnProperty(key);
                owner.DefineOwnProperty(key, new PropertyDescriptor(Wrap(original, name, Body(ownerName, name, original)), descriptor.Writable, descriptor.Enumerable, descriptor.Configurable));
            }
        }
    }

    private ClrFunction Wrap(Function original, string name, Func<JsValue, JsValue[], JsValue> body)
    {
        var length = original.Get("length");
        var wrapper = new ClrFunction(engine, name, (self, arguments) =>
        {
            Enter();
            return body(self, arguments);
        }, length.IsNumber() ? (int)length.AsNumber() : 0, PropertyFlag.Configurable);
        wrappers.Add(wrapper);
        return wrapper;
    }

    private Func<JsValue, JsValue[], JsValue> Plain(JsValue original) => (self, arguments) => engine.Call(original, self, arguments);

    /// <summary>The checkpoint: stack headroom, clock, memory. The recursion limit is counted by <see cref="Engine.Call(JsValue, JsValue, JsValue[])"/>.</summary>
    private void Enter()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new CaptureScriptLimitException(string.Create(CultureInfo.InvariantCulture, $"Script stopped: calls nested deeper than {limits.MaxRecursion}."));
        }

        if (Stopwatch.GetTimestamp() > deadline)
        {
            throw new CaptureScriptLimitException(CaptureScript.TimeError(limits));
        }

        if (GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart > limits.MaxMemoryBytes)
        {
            throw new CaptureScriptLimitException(CaptureScript.MemoryError(limits));
        }
    }

    private Func<JsValue, JsValue[], JsValue> Body(string owner, string name, Function original) => (owner, name) switch
    {
        ("Array.prototype", "join") => (self, a) => Join(self, At(a, 0), locale: false),
        ("Array.prototype", "toLocaleString") => (self, a) => Join(self, JsValue.Undefined, locale: true),
        ("Array.prototype", "concat") => (self, a) => Bounded(original, self, a, [self, .. a]),
        ("Array.prototype", "flat") => (self, a) => Flat(original, self, a),
        ("Object", "keys" or "values" or "entries" or "getOwnPropertyNames" or "getOwnPropertyDescriptors" or "assign") =>
            (self, a) => Bounded(original, self, a, a.Where(v => v is JsString).ToArray()), // a string has one property per character
        ("JSON", "parse") => (self, a) => Parse(original, self, a),
        ("String.prototype", "match" or "matchAll" or "search") => (self, a) => WithPattern(original, self, a),
        ("RegExp.prototype", "compile") => (self, a) => WithPattern(original, self, a),
        ("Array.prototype", _) => (self, a) => Bounded(original, self, a, [self]),
        ("String.prototype", "repeat") => (self, a) => Repeat(original, self, a),
        ("String.prototype", "padStart" or "padEnd") => (self, a) => Pad(original, self, a),
        ("String.prototype", "concat") => (self, a) => Concat(original, self, a),
        ("String.prototype", "replace") => (self, a) => Replace(original, self, a, all: false),
        ("String.prototype", "replaceAll") => (self, a) => Replace(original, self, a, all: true),
        ("String.prototype", "normalize") => (self, a) => Grow(original, self, a, form => form is "NFKC" or "NFKD" ? 18 : 3),
        ("String.prototype", "toUpperCase" or "toLowerCase" or "toLocaleUpperCase" or "toLocaleLowerCase") => (self, a) => Grow(original, self, a, _ => 3),
        ("String", "raw") => Raw,
        ("globalThis", "encodeURI" or "encodeURIComponent") => (_, a) => Escape(original, a, 9), // "\uFFFF" -> "%EF%BF%BF"
        ("globalThis", "escape") => (_, a) => Escape(original, a, 6), // "\uFFFF" -> "%uFFFF"
        ("Function.prototype", "apply") => (self, a) => Bounded(original, self, a, [At(a, 1)]),
        ("Reflect", "apply") => (self, a) => Bounded(original, self, a, [At(a, 2)]),
        ("Reflect", "construct") => (self, a) => Bounded(original, self, a, [At(a, 1)]),
        ("Function.prototype", "bind") => (self, a) => engine.Call(original, self is Function target and not ScriptFunction && !wrappers.Contains(target) ? Wrap(target, "bound", Plain(target)) : self, a),
        ("JSON", "stringify") => (self, a) => Stringify(original, self, a),
        ("Iterator.prototype", not ("next" or "constructor") and not ['@', ..]) => (self, a) => engine.Call(original, Stepped(self), a),
        _ => Plain(original),
    };

    /// <summary>
    /// The iterator helpers (toArray, join, filter, forEach, ...) loop over <c>next</c> inside one call, and a
    /// <c>next</c> that is a built-in (<c>next: Object</c> never says done) never reaches a statement: they get an
    /// iterator whose every step passes the checkpoint instead, the lazy helpers for as long as they are used.
    /// </summary>
    private JsValue Stepped(JsValue iterator)
    {
        if (iterator is not ObjectInstance source)
        {
            return iterator;
        }

        var next = source.Get("next");
        var stepped = new JsObject(engine);
        stepped.Set("next", new ClrFunction(engine, "next", (_, a) =>
        {
            Enter();
            return engine.Call(next, source, a);
        }));
        stepped.Set("return", new ClrFunction(engine, "return", (_, a) =>
        {
            var close = source.Get("return");
            if (close.IsUndefined() || close.IsNull())
            {
                var done = new JsObject(engine);
                done.Set("done", JsBoolean.True);
                return done;
            }

            return engine.Call(close, source, a);
        }));
        return stepped;
    }

    private static JsValue At(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;

    /// <summary>Calls <paramref name="original"/> once the array-likes it will loop over are known to be short.</summary>
    private JsValue Bounded(JsValue original, JsValue self, JsValue[] arguments, JsValue[] loopedOver)
    {
        foreach (var value in loopedOver)
        {
            CheckArrayLike(value);
        }

        return engine.Call(original, self, arguments);
    }

    private ObjectInstance ToObject(JsValue value) =>
        value.IsNull() || value.IsUndefined() ? throw new JavaScriptException(engine.Intrinsics.TypeError, "cannot convert null or undefined to an object")
        : value as ObjectInstance ?? engine.Call(engine.Intrinsics.Object, JsValue.Undefined, [value]).AsObject();

    private string TooLong() => string.Create(CultureInfo.InvariantCulture, $"string longer than the capture script limit ({limits.MaxStringLength} characters)");

    private JavaScriptException RangeError(string message) => new(engine.Construct(rangeError, [message]));

    /// <summary>Refuses a string of <paramref name="length"/> characters past the string limit or past what is left of the memory budget.</summary>
    private void CheckLength(double length)
    {
        if (length > limits.MaxStringLength)
        {
            throw RangeError(TooLong());
        }

        if (GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart + (2 * length) > limits.MaxMemoryBytes)
        {
            throw new CaptureScriptLimitException(CaptureScript.MemoryError(limits));
        }
    }

    /// <summary>
    /// The length of an array or array-like, read without running user code twice: a real array's length, or a
    /// primitive <c>length</c> data property found along the prototype chain. Past <see cref="CaptureScriptLimits.MaxArraySize"/>
    /// (a sparse array, <c>{ length: 2 ** 53 - 1 }</c>) the call would loop that many times in one step: refused.
    /// A <c>length</c> getter, or an object as length, is refused too, since the original would read it again.
    /// </summary>
    private ulong CheckArrayLike(JsValue value)
    {
        ulong length = 0;
        if (value is JsArray array)
        {
            length = array.Length;
        }
        else if (value is JsString text)
        {
            length = (ulong)text.Length;
        }
        else if (value is ObjectInstance target)
        {
            for (var o = target; o is not null; o = o.Prototype)
            {
                var descriptor = o.GetOwnProperty("length");
                if (descriptor == PropertyDescriptor.Undefined)
                {
                    continue;
                }

                if (descriptor.IsAccessorDescriptor() || descriptor.Value is ObjectInstance)
                {
                    throw new JavaScriptException(engine.Intrinsics.TypeError, "array-like objects in a capture script need a plain number as length");
                }

                length = TypeConverter.ToLength(descriptor.Value);
                break;
            }
        }

        if (length > limits.MaxArraySize)
        {
            throw RangeError(string.Create(CultureInfo.InvariantCulture, $"array longer than the capture script limit ({limits.MaxArraySize} elements)"));
        }

        return length;
    }

    private string ThisText(JsValue self)
    {
        if (self.IsNull() || self.IsUndefined())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "String.prototype method called on null or undefined");
        }

        return TypeConverter.ToString(self);
    }

    private JsValue Repeat(JsValue original, JsValue self, JsValue[] arguments)
    {
        var text = ThisText(self);
        var count = TypeConverter.ToIntegerOrInfinity(At(arguments, 0));
        CheckLength(text.Length * Math.Max(count, 0));
        return engine.Call(original, text, [count]);
    }

    private JsValue Pad(JsValue original, JsValue self, JsValue[] arguments)
    {
        var text = ThisText(self);
        var length = TypeConverter.ToLength(At(arguments, 0));
        var fill = At(arguments, 1);
        JsValue filler = fill.IsUndefined() ? JsValue.Undefined : TypeConverter.ToString(fill);
        CheckLength(length);
        return engine.Call(original, text, [(double)length, filler]);
    }

    private JsValue Concat(JsValue original, JsValue self, JsValue[] arguments)
    {
        var text = ThisText(self);
        var parts = new JsValue[arguments.Length];
        double total = text.Length;
        for (var i = 0; i < arguments.Length; i++)
        {
            var part = TypeConverter.ToString(arguments[i]);
            total += part.Length;
            parts[i] = part;
        }

        CheckLength(total);
        return engine.Call(original, text, parts);
    }

    private JsValue Grow(JsValue original, JsValue self, JsValue[] arguments, Func<string, double> factor)
    {
        var text = ThisText(self);
        var form = At(arguments, 0).IsUndefined() ? "NFC" : TypeConverter.ToString(At(arguments, 0));
        CheckLength(text.Length * factor(form));
        return engine.Call(original, text, arguments.Length == 0 ? [] : [form]);
    }

    private JsValue Escape(JsValue original, JsValue[] arguments, int factor)
    {
        var text = TypeConverter.ToString(At(arguments, 0));
        CheckLength((double)text.Length * factor);
        return engine.Call(original, JsValue.Undefined, [text]);
    }

    /// <summary>
    /// A replacement text can expand (<c>$&amp;</c>, <c>$`</c>, <c>$'</c>, <c>$1</c> each stand for up to the whole
    /// input), so its size is bounded before the call: every match adds at most the replacement's length plus one
    /// input length per <c>$</c>. A replacement function is a call like any other and meets the checkpoints.
    /// </summary>
    private JsValue Replace(JsValue original, JsValue self, JsValue[] arguments, bool all)
    {
        var text = ThisText(self);
        var pattern = At(arguments, 0);
        var replacement = At(arguments, 1);
        if (replacement is Function)
        {
            return engine.Call(original, text, [pattern, replacement]);
        }

        var with = TypeConverter.ToString(replacement);
        var perMatch = with.Length + ((double)with.Count(c => c == '$') * text.Length);
        double matches;
        if (pattern is ObjectInstance)
        {
            matches = text.Length + 1;
        }
        else
        {
            var search = TypeConverter.ToString(pattern);
            pattern = search;
            matches = !all ? 1 : search.Length == 0 ? text.Length + 1 : Occurrences(text, search);
        }

        CheckLength(text.Length + (matches * perMatch));
        return engine.Call(original, text, [pattern, with]);
    }

    private static int Occurrences(string text, string search)
    {
        var count = 0;
        for (var at = text.IndexOf(search, StringComparison.Ordinal); at >= 0; at = text.IndexOf(search, at + search.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Join and toLocaleString rebuilt: the text is checked as it grows, and a nested array converts through the guarded toString.</summary>
    private JsValue Join(JsValue self, JsValue separator, bool locale)
    {
        var target = ToObject(self);
        var length = CheckArrayLike(target);
        var between = separator.IsUndefined() ? "," : TypeConverter.ToString(separator);
        if (!joining.Add(target))
        {
            return JsString.Empty; // a cycle joins as empty, as the original does
        }

        try
        {
            var text = new StringBuilder();
            for (uint i = 0; i < length; i++)
            {
                if (i > 0)
                {
                    Append(text, between);
                }

                var element = target.Get(i);
                if (element.IsNull() || element.IsUndefined())
                {
                    continue;
                }

                Append(text, TypeConverter.ToString(locale ? engine.Call(ToObject(element).Get("toLocaleString"), element, []) : element));
            }

            return text.ToString();
        }
        finally
        {
            joining.Remove(target);
        }
    }

    private void Append(StringBuilder text, string part)
    {
        CheckLength((double)text.Length + part.Length);
        text.Append(part);
    }

    private JsValue Raw(JsValue self, JsValue[] arguments)
    {
        var raw = ToObject(ToObject(At(arguments, 0)).Get("raw"));
        var length = CheckArrayLike(raw);
        var text = new StringBuilder();
        for (uint i = 0; i < length; i++)
        {
            Append(text, TypeConverter.ToString(raw.Get(i)));
            if (i + 1 == length)
            {
                break;
            }

            if (i + 1 < arguments.Length)
            {
                Append(text, TypeConverter.ToString(arguments[i + 1]));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// JSON.parse builds its whole result in one call, a few dozen bytes per character of text (a value, a slot):
    /// the text may be at most what is left of the memory budget divided by <see cref="ParsedBytesPerCharacter"/>.
    /// </summary>
    private JsValue Parse(JsValue original, JsValue self, JsValue[] arguments)
    {
        var text = TypeConverter.ToString(At(arguments, 0));
        CheckLength(text.Length * (ParsedBytesPerCharacter / 2.0));
        return engine.Call(original, self, [text, At(arguments, 1)]);
    }

    /// <summary>A pattern given as text is compiled into a regular expression, whose size follows the pattern's (nested groups: 25 MB for 200,000 characters).</summary>
    private JsValue WithPattern(JsValue original, JsValue self, JsValue[] arguments) =>
        engine.Call(original, self, arguments.Length == 0 ? [] : [Pattern(arguments[0]), .. arguments.Skip(1)]);

    /// <summary>A pattern converted once and checked against <see cref="CaptureScriptLimits.MaxPatternLength"/>; a regular expression or <c>undefined</c> passes as it is.</summary>
    private JsValue Pattern(JsValue pattern)
    {
        if (pattern.IsUndefined() || pattern.IsNull() || pattern is JsRegExp)
        {
            return pattern;
        }

        var text = TypeConverter.ToString(pattern);
        if (text.Length > limits.MaxPatternLength)
        {
            throw RangeError(string.Create(CultureInfo.InvariantCulture, $"pattern longer than the capture script limit ({limits.MaxPatternLength} characters)"));
        }

        return text;
    }

    /// <summary>
    /// The RegExp constructor compiles a pattern given as text: replaced by a script function that checks the
    /// pattern (<see cref="Pattern"/>) and constructs the original, sharing its prototype so that <c>instanceof</c>,
    /// literals and <c>constructor</c> agree.
    /// </summary>
    private void GuardRegExpConstructor(ObjectInstance global)
    {
        var original = global.Get("RegExp").AsObject();
        var construct = global.Get("Reflect").AsObject().Get("construct");
        var check = new ClrFunction(engine, "pattern", (_, a) => Pattern(At(a, 0)), 1);
        var guarded = engine.Call(engine.Evaluate(RegExpConstructor), JsValue.Undefined, [original, check, construct]).AsObject();
        var prototype = original.Get("prototype").AsObject();
        guarded.DefineOwnProperty("prototype", new PropertyDescriptor(prototype, writable: false, enumerable: false, configurable: false));
        prototype.DefineOwnProperty("constructor", new PropertyDescriptor(guarded, writable: true, enumerable: false, configurable: true));
        global.DefineOwnProperty("RegExp", new PropertyDescriptor(guarded, writable: true, enumerable: false, configurable: true));
    }

    /// <summary>
    /// A nested array flattens by native recursion, one level per depth: the depth is read once and capped at the
    /// JSON depth limit (deeper arrays keep their inner arrays, which only a script that nests that deep can see).
    /// </summary>
    private JsValue Flat(JsValue original, JsValue self, JsValue[] arguments)
    {
        var depth = Math.Min(At(arguments, 0).IsUndefined() ? 1 : TypeConverter.ToIntegerOrInfinity(At(arguments, 0)), limits.MaxJsonDepth);
        var size = 0UL;
        Count(self, depth, ref size);
        return engine.Call(original, self, [depth]);
    }

    // The elements a flat of this depth would produce, stopping as soon as they are too many.
    private void Count(JsValue value, double depth, ref ulong size)
    {
        var length = CheckArrayLike(value);
        if (value is not JsArray array)
        {
            size += length;
            return;
        }

        for (uint i = 0; i < length; i++)
        {
            if (depth > 0 && array[i] is JsArray inner)
            {
                Count(inner, depth - 1, ref size);
            }
            else
            {
                size++;
            }

            if (size > limits.MaxArraySize)
            {
                throw RangeError(string.Create(CultureInfo.InvariantCulture, $"array longer than the capture script limit ({limits.MaxArraySize} elements)"));
            }
        }
    }

    /// <summary>
    /// JSON.stringify serializes by native recursion and builds its text in one call. A replacer that runs the
    /// checkpoint for every value (then the script's replacer, if any) bounds both: the stack is probed at each
    /// level, and the size of the text is checked as it grows (<see cref="JsonText"/>).
    /// </summary>
    private JsValue Stringify(JsValue original, JsValue self, JsValue[] arguments)
    {
        var replacer = At(arguments, 1);
        var space = At(arguments, 2);
        var text = new JsonText(this, space.IsUndefined() || space.IsNull() ? 0 : 10);
        JsValue guard = replacer switch
        {
            Function user => new ClrFunction(engine, "replacer", (holder, a) => text.Add(engine.Call(user, holder, a)), 2),
            JsArray keys => PropertyListReplacer(keys, text),
            _ => new ClrFunction(engine, "replacer", (_, a) => text.Add(At(a, 1)), 2),
        };
        return engine.Call(original, self, [At(arguments, 0), guard, space]);
    }

    /// <summary>
    /// What one JSON.stringify has written so far, counted from the replacer's side: each key and string value at
    /// its escaped size (up to 6 characters each, <c>\u0001</c>; an object's keys with the object), anything else at a number's width, plus
    /// the indentation of a few levels (deeper levels are caught by the memory check of the next value). The engine builds the text in a buffer that doubles, then copies it into the result: three
    /// times the text, in bytes twice that, must fit in what was left of the budget when the call began.
    /// </summary>
    private sealed class JsonText(GuardedBuiltIns guard, int indent)
    {
        private readonly long allocatedBefore = GC.GetAllocatedBytesForCurrentThread() - guard.allocatedAtStart;
        private double length;

        public T Add<T>(T value)
        {
            guard.Enter();
            // An object's keys are escaped before the replacer sees them one by one: counted with their object.
            double keys = 0;
            if (value is ObjectInstance source and not JsArray and not Function)
            {
                foreach (var name in source.GetOwnPropertyKeys(Types.String))
                {
                    keys += name.ToString().Length;
                }
            }

            length += (6.0 * (keys + (value is JsString text ? text.Length : 0))) + 32 + (indent * 8);
            if (length > guard.limits.MaxStringLength)
            {
                throw guard.RangeError(guard.TooLong());
            }

            if (allocatedBefore + (6 * length) > guard.limits.MaxMemoryBytes)
            {
                throw new CaptureScriptLimitException(CaptureScript.MemoryError(guard.limits));
            }

            return value;
        }
    }

    // The property-list form of the replacer (an array of names), kept exact: objects are re-read in list order.
    private ClrFunction PropertyListReplacer(JsArray keys, JsonText text)
    {
        CheckArrayLike(keys);
        var names = new List<string>();
        for (uint i = 0; i < keys.Length; i++)
        {
            var key = keys.Get(i);
            if (key.IsString() || key.IsNumber())
            {
                var name = TypeConverter.ToString(key);
                if (!names.Contains(name, StringComparer.Ordinal))
                {
                    names.Add(name);
                }
            }
        }

        var picked = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        return new ClrFunction(engine, "replacer", (_, a) =>
        {
            var value = text.Add(At(a, 1));
            if (value is not ObjectInstance source || value is JsArray || value is Function || picked.Contains(source))
            {
                return value;
            }

            var copy = new JsObject(engine);
            foreach (var name in names)
            {
                var property = source.Get(name);
                if (!property.IsUndefined())
                {
                    copy.Set(name, property);
                }
            }

            picked.Add(copy);
            return copy;
        }, 2);
    }
}
