using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Coaching.Bench.Micro -- --filter '*'   (BenchmarkDotNet's own arguments)
BenchmarkSwitcher.FromAssembly(typeof(Coaching.Bench.Micro.MomentBenchmarks).Assembly).Run(args);
