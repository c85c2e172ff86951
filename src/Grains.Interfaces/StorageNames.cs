namespace Coaching;

public static class StorageNames
{
    public const string Coaching = "coaching";
}
