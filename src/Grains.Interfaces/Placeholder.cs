namespace Coaching;
internal static class Placeholder { }
