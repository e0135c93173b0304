#include "onshi/bench/run_benchmarks.hpp"

#include <benchmark/benchmark.h>

#include <iostream>
#include <string>
#include <vector>

namespace onshi::bench {
namespace {

// The console output as usual, and a list of the runs that reported an error.
class ErrorNoticingReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) errors_.push_back(run.benchmark_name() + ": " + run.error_message);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

}  // namespace

int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  ErrorNoticingReporter reporter;
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (ran == 0) {
    std::cerr << "no benchmark ran (does --benchmark_filter match any?)\n";
    return 1;
  }
  if (!reporter.errors().empty()) {
    std::cerr << reporter.errors().size() << " benchmark(s) reported an error:\n";
    for (const std::string& e : reporter.errors()) std::cerr << "  " << e << "\n";
    return 1;
  }
  return 0;
}

}  // namespace onshi::bench
