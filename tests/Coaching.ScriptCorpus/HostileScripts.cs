namespace Coaching.ScriptCorpus;

/// <summary>Scripts that try to escape the capture-script limits (issue 13), by family. Each must end in time, within the memory budget, as a value or an error.</summary>
internal static class HostileScripts
{
    /// <summary>The three scripts of issue 13, as reported.</summary>
    public const string NestedArrayToText = "var a = []; for (var i = 0; i < 9000; i++) a = [a]; return { n: String(a).length };";
    public const string JoinOfBigStrings = "return { n: new Array(10000).join('x'.repeat(1e6)).length };";
    public const string RepeatWithTwoFacedValueOf = "return { s: 'x'.repeat({i:0, valueOf(){return this.i++ ? 1<<28 : 1}}) };";

    private const string Deep = "var a = []; for (var i = 0; i < 9000; i++) a = [a]; ";
    private const string DeepObject = "var o = {}; for (var i = 0; i < 9000; i++) o = { o: o }; ";
    private const string Endless = "var it = { [Symbol.iterator]() { return this; }, next: Object }; ";

    public static readonly (string Name, string Source)[] All =
    [
        // Deep structures through every conversion.
        ("deep-array/String", NestedArrayToText),
        ("deep-array/join", Deep + "return { n: a.join().length };"),
        ("deep-array/plus-empty", Deep + "return { n: (a + '').length };"),
        ("deep-array/template", Deep + "return { n: `${a}`.length };"),
        ("deep-array/toString", Deep + "return { n: a.toString().length };"),
        ("deep-array/toLocaleString", Deep + "return { n: a.toLocaleString().length };"),
        ("deep-array/JSON.stringify", Deep + "return { n: JSON.stringify(a).length };"),
        ("deep-array/flat-Infinity", Deep + "return { n: a.flat(Infinity).length };"),
        ("deep-array/concat", Deep + "return { n: [].concat(a, a).length };"),
        ("deep-array/returned", Deep + "return { a: a };"),
        ("deep-array/built-by-reduce", "var a = Array(5000).fill(0).reduce(x => [x], []); a = Array(5000).fill(0).reduce(x => [x], a); return { n: String(a).length };"),
        ("deep-object/JSON.stringify", DeepObject + "return { n: JSON.stringify(o).length };"),
        ("deep-object/returned", DeepObject + "return { o: o };"),
        ("deep-object/structured", "var o = []; for (var i = 0; i < 3000; i++) o = { a: [o, { b: o }] }; return { n: JSON.stringify(o).length };"),
        ("deep-json/parse-arrays", "return { n: JSON.parse('['.repeat(100000) + ']'.repeat(100000)).length };"),
        ("deep-json/parse-objects", "return { n: JSON.parse('{\"a\":'.repeat(50000) + '1' + '}'.repeat(50000)).a };"),
        ("deep-json/parse-reviver", "return { n: JSON.stringify(JSON.parse('[' .repeat(60) + ']'.repeat(60), function (k, v) { return [v]; })).length };"),
        ("chain/bound-functions", "var f = function () { return 1; }; for (var i = 0; i < 9000; i++) f = f.bind(null); return { n: f() };"),
        ("chain/prototypes", "var o = {}; for (var i = 0; i < 9000; i++) o = Object.create(o); return { n: String(o.missing) + o };"),
        ("chain/getters", "var o = { x: 1 }; for (var i = 0; i < 9000; i++) { let p = o; o = { get x() { return p.x; } }; } return { n: o.x };"),
        ("chain/error-names", "var e = { name: 'x' }; for (var i = 0; i < 9000; i++) e = { name: e, message: '', toString: Error.prototype.toString }; return { n: String(e).length };"),
        ("chain/proxies", "var p = {}; for (var i = 0; i < 9000; i++) p = new Proxy(p, {}); return { n: p.x };"),
        ("chain/valueOf", "var o = { valueOf() { return 1; } }; for (var i = 0; i < 9000; i++) { let p = o; o = { valueOf() { return +p; } }; } return { n: +o };"),

        // A built-in that calls itself through a conversion of its own `this`.
        ("cycle/toString-is-trim", "var o = {}; o.toString = String.prototype.trim; return { s: String(o) };"),
        ("cycle/toString-is-toLocaleString", "var o = {}; o.toString = Object.prototype.toLocaleString; return { s: String(o) };"),
        ("cycle/valueOf-is-bound-abs", "var o = {}; o.valueOf = Math.abs.bind(null, o); return { n: +o };"),
        ("cycle/valueOf-is-bound-Number", "var o = {}; o.valueOf = Number.bind(null, o); return { n: +o };"),
        ("cycle/getter-is-bound-Reflect.get", "var o = {}; Object.defineProperty(o, 'x', { get: Reflect.get.bind(null, o, 'x') }); return { n: o.x };"),
        ("cycle/toStringTag-is-toString", "var o = {}; Object.defineProperty(o, Symbol.toStringTag, { get: Object.prototype.toString }); return { s: String(o) };"),
        ("cycle/toISOString-is-toJSON", "var o = { toISOString: Date.prototype.toJSON }; return { s: JSON.stringify(o.toISOString()) };"),
        ("cycle/flags-getter", "var flags = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get; var o = {}; Object.defineProperty(o, 'global', { get: flags }); return { s: o.global };"),
        ("cycle/join-is-join", "var o = { length: 1 }; o[0] = o; o.toString = Array.prototype.join; return { s: String(o) };"),
        ("cycle/toPrimitive-is-Date", "var o = { toString: Date.prototype[Symbol.toPrimitive] }; return { s: String(o) };"),

        // Loops of built-ins with no statement in between.
        ("loop/bound-forEach-3-deep", "var A = Array(5000).fill(0); var f1 = Array.prototype.forEach.bind(A, Math.abs); var f2 = Array.prototype.forEach.bind(A, f1); var f3 = Array.prototype.forEach.bind(A, f2); f3(); return { n: 1 };"),
        ("loop/map-forEach-nested", "var m = new Map(); for (var i = 0; i < 3000; i++) m.set(i, Math.abs); var outer = new Map(); for (var j = 0; j < 3000; j++) outer.set(j, Map.prototype.forEach.bind(m, Math.abs)); outer.forEach(Function.prototype.call, Function.prototype.call); return { n: 1 };"),
        ("loop/indexOf-huge-array-like", "return { n: Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1) };"),
        ("loop/includes-sparse-array", "var a = []; a[4e9] = 1; return { n: a.includes(2) };"),
        ("loop/fill-huge-array-like", "return { n: Array.prototype.fill.call({ length: 1e9 }, 0).length };"),
        ("loop/length-getter-two-faced", "var i = 0; var o = { get length() { return i++ ? 2 ** 53 - 1 : 3; } }; return { n: Array.prototype.lastIndexOf.call(o, 1) };"),
        ("loop/sort-comparator-spins", "return { a: [3, 2, 1].sort(function () { for (;;) {} }) };"),
        ("loop/sort-10000", "var a = []; for (var i = 0; i < 5000; i++) a.push((i * 7919) % 5000); return { n: a.sort((x, y) => x - y)[0] };"),
        ("loop/forEach-in-forEach", "var A = Array(5000).fill(0); var n = 0; A.forEach(x => A.forEach(y => n++)); return { n: n };"),
        ("loop/Set-from-endless-iterator", Endless + "return { n: new Set(it).size };"),
        ("loop/spread-endless-iterator", Endless + "return { n: [...it].length };"),
        ("loop/spread-args-endless-iterator", Endless + "return { n: Math.max(...it) };"),
        ("loop/Array.from-endless-iterator", Endless + "return { n: Array.from(it).length };"),
        ("loop/Set-from-valueOf-iterator", "var it = { [Symbol.iterator]() { return this; }, next: Object.prototype.valueOf }; return { n: new Set(it).size };"),
        ("loop/iterator-toArray-endless", Endless + "return { n: Iterator.from(it).toArray().length };"),
        ("loop/iterator-join-endless", Endless + "return { n: Iterator.from(it).join('x'.repeat(1000)).length };"),
        ("loop/iterator-filter-endless", Endless + "return { n: Iterator.from(it).filter(Boolean).next().done };"),
        ("loop/iterator-forEach-endless", Endless + "Iterator.from(it).forEach(Math.abs); return { n: 1 };"),
        ("loop/Object.fromEntries-endless", "var it = { [Symbol.iterator]() { return this; }, next: Array }; return { n: Object.keys(Object.fromEntries(it)).length };"),
        ("loop/generator-endless", "function* g() { while (true) yield 1; } var n = 0; for (const x of g()) n += x; return { n: n };"),
        ("loop/generator-spread", "function* g() { while (true) yield 'x'; } return { n: [...g()].length };"),
        ("loop/labelled", "var n = 0; outer: for (;;) { inner: for (;;) { n++; continue outer; } } return { n: n };"),
        ("loop/while-true", "while (true) {}"),
        ("loop/recursion", "function f() { return f() + 1; } return { n: f() };"),
        ("loop/recursion-caught-and-retried", "function f() { try { f(); } catch (e) { f(); } } f(); return { n: 1 };"),
        ("loop/try-finally-after-limit", "try { while (true) {} } finally { while (true) {} }"),
        ("loop/catch-limit-error", "try { 'x'.repeat(1 << 28); } catch (e) { return { caught: String(e).slice(0, 40) }; }"),
        ("loop/valueOf-spins", "return { n: ({ valueOf() { while (true) {} } }) + 1 };"),
        ("loop/getter-on-result-spins", "return { get x() { for (;;) {} } };"),
        ("loop/toJSON-on-result-spins", "return { o: { toJSON() { for (;;) {} } } };"),

        // One call that builds a huge string.
        ("string/join-of-big-strings", JoinOfBigStrings),
        ("string/repeat-two-faced-valueOf", RepeatWithTwoFacedValueOf),
        ("string/repeat-two-faced-valueOf-big-first", "return { s: 'x'.repeat({i:0, valueOf(){return this.i++ ? 1 : 1<<28}}) };"),
        ("string/repeat-toPrimitive", "return { s: 'x'.repeat({ [Symbol.toPrimitive]() { return 1 << 28; } }) };"),
        ("string/repeat-big", "return { s: 'x'.repeat(1 << 28) };"),
        ("string/repeat-near-budget-twice", "var a = 'x'.repeat(9e5); var b = 'y'.repeat(9e5); var c = 'z'.repeat(9e5); return { n: a.length + b.length + c.length };"),
        ("string/padStart-big", "return { s: 'x'.padStart(1 << 28) };"),
        ("string/padEnd-two-faced", "return { s: 'x'.padEnd({i:0, valueOf(){return this.i++ ? 1<<28 : 1}}, 'ab') };"),
        ("string/concat-apply", "return { n: ''.concat.apply('', new Array(5000).fill('x'.repeat(1e5))).length };"),
        ("string/concat-self-doubling", "var s = 'x'; for (var i = 0; i < 40; i++) s = s.concat(s); return { n: s.length };"),
        ("string/plus-doubling", "var s = 'x'; while (true) s = s + s;"),
        ("string/replace-regex-big-replacement", "return { n: 'x'.repeat(1e5).replace(/x/g, 'y'.repeat(1e4)).length };"),
        ("string/replace-dollar-amp", "return { n: 'x'.repeat(1e4).replace(/x/g, '$&'.repeat(1000)).length };"),
        ("string/replace-dollar-backtick", "return { n: 'x'.repeat(5e4).replace(/x/g, '$`').length };"),
        ("string/replace-groups", "return { n: 'ab'.repeat(5e5).replace(/(a)(b)/g, '$2$1$2$1$2$1').length };"),
        ("string/replaceAll-string", "return { n: 'x'.repeat(1e5).replaceAll('x', 'y'.repeat(1000)).length };"),
        ("string/replace-function-big", "return { n: 'x'.repeat(1e4).replace(/x/g, () => 'y'.repeat(1e4)).length };"),
        ("string/split-chars", "return { n: 'x'.repeat(1e6).split('').length };"),
        ("string/match-all-chars", "return { n: 'x'.repeat(1e6).match(/x/g).length };"),
        ("string/normalize-NFKD", "return { n: '\\uFDFA'.repeat(1e5).normalize('NFKD').length };"),
        ("string/toUpperCase-sharp-s", "return { n: '\\u00DF'.repeat(9e5).toUpperCase().length };"),
        ("string/fromCharCode-apply-array-like", "return { n: String.fromCharCode.apply(null, { length: 1e9 }).length };"),
        ("string/fromCharCode-apply-10000", "return { n: String.fromCharCode.apply(null, Array(5000).fill(65)).length };"),
        ("string/raw-big", "return { n: String.raw({ raw: Array(5000).fill('y'.repeat(1000)) }).length };"),
        ("string/raw-huge-length", "return { n: String.raw({ raw: { length: 1e9 } }, 'x').length };"),
        ("string/encodeURIComponent", "return { n: encodeURIComponent('\\uD7FF'.repeat(9e5)).length };"),
        ("string/escape", "return { n: escape('\\u0100'.repeat(9e5)).length };"),
        ("string/template-doubling", "var s = 'x'; for (var i = 0; i < 40; i++) s = `${s}${s}`; return { n: s.length };"),
        ("string/array-toString-big", "return { n: Array(5000).fill('x'.repeat(1000)).toString().length };"),
        ("string/join-big-separator", "return { n: [1, 2].join('x'.repeat(1e6)).length };"),

        // Arrays.
        ("array/new-Array-huge", "return { n: new Array(1e9).length };"),
        ("array/length-huge", "var a = []; a.length = 4e9; return { n: a.join().length };"),
        ("array/fill-huge", "return { n: new Array(4294967295).fill(0).length };"),
        ("array/from-length", "return { n: Array.from({ length: 1e9 }).length };"),
        ("array/from-string", "return { n: Array.from('x'.repeat(1e6)).length };"),
        ("array/spread-string", "return { n: [...'x'.repeat(1e6)].length };"),
        ("array/Object.keys-string", "return { n: Object.keys('x'.repeat(1e6)).length };"),
        ("array/splice-insert", "var a = []; for (var i = 0; i < 100; i++) a.splice(0, 0, ...Array(5000).fill(i)); return { n: a.length };"),
        ("array/apply-huge-array-like", "return { n: Math.max.apply(null, { length: 1e8 }) };"),
        ("array/Reflect.apply-huge", "return { n: Reflect.apply(Math.max, null, { length: 1e8 }) };"),
        ("array/concat-spreadable-huge", "return { n: [].concat({ length: 2 ** 53 - 1, [Symbol.isConcatSpreadable]: true }).length };"),
        ("array/map-of-maps", "return { n: new Array(5000).fill(0).map(() => new Array(5000).fill(0)).length };"),
        ("array/from-mapper-big-strings", "return { n: Array.from({ length: 5000 }, () => 'x'.repeat(1e6)).length };"),
        ("array/flat-wide", "var a = Array(5000).fill(Array(5000).fill(1)); return { n: a.flat().length };"),

        // Buffers, typed arrays and other removed intrinsics.
        ("buffer/ArrayBuffer", "return { n: new ArrayBuffer(2e9).byteLength };"),
        ("buffer/Uint8Array", "return { n: new Uint8Array(2e9).length };"),
        ("buffer/via-prototype-chain", "return { n: typeof Object.getPrototypeOf(Int8Array) };"),
        ("buffer/SharedArrayBuffer", "return { n: new SharedArrayBuffer(2e9).byteLength };"),
        ("realm/ShadowRealm", "return { n: new ShadowRealm().evaluate('1') };"),

        // JSON.
        ("json/stringify-many-refs", "return { n: JSON.stringify(new Array(5000).fill('x'.repeat(1e5))).length };"),
        ("json/stringify-escapes", "return { n: JSON.stringify('\\u0001'.repeat(9e5)).length };"),
        ("json/stringify-escaped-key", "var o = {}; o['\\u0001'.repeat(9e5)] = 1; return { n: JSON.stringify(o).length };"),
        ("json/stringify-indent", "var a = Array(5000).fill([[[[1]]]]); return { n: JSON.stringify(a, null, 10).length };"),
        ("json/stringify-replacer-array", "var o = { a: 'x'.repeat(1e5), b: 1 }; var a = Array(5000).fill(o); return { n: JSON.stringify(a, ['a']).length };"),
        ("json/stringify-replacer-function", "return { n: JSON.stringify(Array(5000).fill(1), (k, v) => typeof v === 'number' ? 'x'.repeat(1e5) : v).length };"),
        ("json/parse-big", "return { n: JSON.parse('[' + '1,'.repeat(4e5) + '1]').length };"),

        // Regular expressions.
        ("regex/catastrophic", "return { m: /(a+)+$/.test('a'.repeat(40) + 'b') };"),
        ("regex/catastrophic-replace", "return { m: ('a'.repeat(40) + 'b').replace(/(a|aa)+$/, 'x') };"),
        ("regex/huge-pattern", "return { m: new RegExp('a'.repeat(9e5)).test('a') };"),
        ("regex/nested-groups", "return { m: new RegExp('('.repeat(1e5) + 'a' + ')'.repeat(1e5)).test('a') };"),
        ("regex/huge-quantifier", "return { m: new RegExp('a{0,1000000000}').test('a'.repeat(1e5)) };"),
        ("regex/backreferences", "return { m: /^(\\w+\\s?)*$/.test('a '.repeat(30) + '!') };"),

        // Numbers, dates, BigInt, Math.
        ("bigint/pow", "return { n: String(10n ** 10000000n).length };"),
        ("bigint/shift", "return { n: String(1n << 100000000n).length };"),
        ("bigint/square-big", "var x = 1n << 8000000n; return { n: (x * x) > 0n };"),
        ("bigint/toString-big", "return { n: (1n << 3000000n).toString().length };"),
        ("bigint/asUintN", "return { n: BigInt.asUintN(1e9, -1n) > 0n };"),
        ("number/toString-radix", "return { s: (1e308).toString(2).length + (Math.PI).toString(3).length };"),
        ("number/toFixed-100", "return { s: (1e20).toFixed(100).length };"),
        ("number/toLocaleString-digits", "return { s: (1).toLocaleString('en', { maximumFractionDigits: 1e9 }) };"),
        ("date/huge", "return { s: new Date(8.64e15 + 1).toISOString() };"),
        ("date/toLocaleString", "return { s: new Date(0).toLocaleString('en', { year: 'numeric' }) };"),
        ("math/max-spread", "return { n: Math.max(...Array(5000).fill(1)) };"),
        ("intl/NumberFormat", "return { s: typeof Intl === 'object' ? new Intl.NumberFormat('en', { minimumFractionDigits: 100 }).format(1) : 'none' };"),

        // Escapes and host access.
        ("escape/Function-constructor", "return { s: (function () {}).constructor('return this')() };"),
        ("escape/async-jobs", "var n = 0; async function f() { n++; await null; return f(); } f(); return { n: n };"),
        ("escape/promise-native-chain", "var p = Promise.resolve(); for (var i = 0; i < 5000; i++) p = p.then(Math.abs); return { n: 1 };"),
    ];
}
