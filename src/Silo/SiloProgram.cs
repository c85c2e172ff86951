namespace Coaching.Silo;

public static class SiloProgram
{
    public static int Main(string[] args)
    {
        Console.WriteLine("Coaching silo: not yet wired.");
        return args.Length;
    }
}
