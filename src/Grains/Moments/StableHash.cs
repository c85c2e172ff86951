namespace Coaching.Moments;

/// <summary>
/// A 64-bit hash that is the same in every process and every .NET version (unlike string.GetHashCode):
/// FNV-1a over the UTF-16 code units, then the MurmurHash3 finalizer so that inputs differing only in their
/// last characters (evt-1, evt-2, ...) still spread over all 64 bits.
/// Decisions made with it (sampling, coach continuity) are stored or replayed: never change it.
/// </summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string first, string second)
    {
        var hash = OffsetBasis;
        // Length prefix keeps ("ab","c") and ("a","bc") apart.
        hash = AddInt(hash, first.Length);
        hash = AddChars(hash, first);
        hash = AddChars(hash, second);
        return Mix(hash);
    }

    /// <summary>Maps a hash to [0, 1) using its top 53 bits (a double's precision).</summary>
    public static double ToUnit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static ulong AddChars(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        return hash;
    }

    private static ulong AddInt(ulong hash, int value)
    {
        for (var i = 0; i < 4; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
