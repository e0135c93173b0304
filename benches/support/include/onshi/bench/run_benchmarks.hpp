#pragma once
// The one main of the benchmark suites: Google Benchmark's BENCHMARK_MAIN exits 0 even when
// a benchmark called state.SkipWithError (a reception that failed), so `ctest -L bench`
// would pass a broken chain. run_benchmarks() runs them with a console reporter that notices
// errors and returns non-zero when any benchmark reported one, or when none matched.
//
//   int main(int argc, char** argv) { return onshi::bench::run_benchmarks(argc, argv); }
//
// Link onshi_bench_main instead of writing that main: it is this file's only use.
namespace onshi::bench {

// Exit codes: 0 all ran without error; 1 a benchmark reported an error or none matched
// the filter; 2 an argument Google Benchmark does not know.
int run_benchmarks(int argc, char** argv);

}  // namespace onshi::bench
