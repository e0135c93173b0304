#pragma once
// `onshi-hil report compare BASE NEW` (docs/load.md, "Comparing runs"): per metric the change
// from BASE to NEW with a significance test, and a verdict that is a regression only when NEW
// is *significantly* slower *and* by more than a set ratio, so the noise between two runs of
// the same build stays quiet. BASE and NEW are both load runs (folders with summary.json and
// histograms.hlog; per step and reception, Mann-Whitney U over every recorded latency, ties
// within a histogram slot, and again over the per-interval medians, so that noise the
// receptions of one run share does not pass for significance) or both Google Benchmark JSON
// files (--benchmark_out; per benchmark, Mann-Whitney U over the repetitions' real times,
// untested below 3 repetitions).
// Different rig fingerprints (CPU, cores, OS, links) or benchmark contexts give a warning:
// different hardware is not a regression.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/load/hdr_histogram.hpp"

namespace onshi::load {

// Fewest per-interval medians a load run needs on each side for the interval test: with 5
// and 5 a complete separation has p = 0.006 (below the default alpha), with 4 and 4 it cannot.
inline constexpr std::size_t kMinIntervals = 5;

struct CompareOptions {
  double max_ratio = 1.25;  // a median slower by more than this is a regression, when significant
  double alpha = 0.01;      // one-sided significance level
  // Load runs: a median slower by less than this is never a regression (a step that takes
  // microseconds jitters by whole multiples of itself on a shared machine).
  double min_delta_ms = 1.0;
};

struct MetricComparison {
  std::string metric;
  std::string unit;         // of base and new: "ms" (load) or "ns" (benchmarks)
  double base = 0.0;        // the median
  double current = 0.0;
  double base_p99 = 0.0;    // load runs only (0 for benchmarks)
  double current_p99 = 0.0;
  std::int64_t base_n = 0;
  std::int64_t current_n = 0;
  double p_value = 1.0;     // NEW larger than BASE, one-sided; 1 when not tested
  // Load runs: p_value is the larger of the test over every reception and the test over the
  // per-interval medians (when each run has kMinIntervals of them; else the first alone).
  double p_receptions = 1.0;
  double p_intervals = 1.0;
  std::int64_t base_intervals = 0;  // intervals with at least one value of this metric
  std::int64_t current_intervals = 0;
  bool tested = false;
  bool regression = false;
  double ratio() const { return base > 0.0 ? current / base : 0.0; }
};

struct Comparison {
  std::string kind;  // "load" | "google-benchmark"
  std::vector<MetricComparison> metrics;
  std::vector<std::string> warnings;
  CompareOptions options;
  bool regressed() const;
};

// Throws Error naming the file for a missing or malformed input, or BASE and NEW of two kinds.
Comparison compare_runs(const std::filesystem::path& base, const std::filesystem::path& current,
                        const CompareOptions& options = {});
// The table the command prints: metric, base, new, ratio, p, verdict; then the warnings.
std::string format_comparison(const Comparison& comparison);

// One-sided Mann-Whitney U p-value that `current` is stochastically larger than `base`, by the
// normal approximation with tie correction and continuity correction; 1 when either is empty.
// Histograms: every recorded value, values in one slot tied; layouts must match.
double mann_whitney_greater_p(const HdrHistogram& base, const HdrHistogram& current);
double mann_whitney_greater_p(const std::vector<double>& base, const std::vector<double>& current);

}  // namespace onshi::load
