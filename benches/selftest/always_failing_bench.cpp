// A benchmark that always reports an error, registered as a ctest with WILL_FAIL: it proves
// that onshi_bench_main turns state.SkipWithError into a failing exit code, so a bench whose
// reception fails cannot pass `ctest -L bench` (benches/support/run_benchmarks.hpp).
#include <benchmark/benchmark.h>

namespace {

void BM_AlwaysReportsAnError(benchmark::State& state) {
  for (auto _ : state) {
    state.SkipWithError("this benchmark always fails (the bench main's own test)");
    break;
  }
}
BENCHMARK(BM_AlwaysReportsAnError);

}  // namespace
