#pragma once
// Thresholds as verdicts (docs/load.md, "Thresholds"), in the spirit of k6: an expression
// over a load run's figures that passes or fails.
//
//   qualification_lookup.p99 < 800ms      a step's (corrected) latency percentile
//   reception.p99.9 < 3s                  the whole reception; p999 means p99.9 as in summary.json
//   reception.uncorrected.max <= 2s       the service time instead of the corrected latency
//   errors.rate < 0.1%                    failed receptions / receptions (a plain number is a fraction)
//   errors.count == 0                     failed receptions
//   throughput >= 1.5/s                   receptions completed per second of the run
//   generator.max_lag < 50ms              how far behind schedule a reception started
//
// Latency statistics: pN (0 < N <= 100, e.g. p50, p99.9), min, max, mean. Latencies need a
// unit (us, ms, s, min). Operators: < <= > >= ==.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/load/load_recorder.hpp"

namespace onshi::load {

enum class ThresholdMetric { latency, error_rate, error_count, throughput, max_lag };
enum class ThresholdOp { less, less_equal, greater, greater_equal, equal };
enum class LatencyStatistic { percentile, min, max, mean };

struct Threshold {
  std::string expression;  // as written, trimmed
  ThresholdMetric metric = ThresholdMetric::latency;
  std::string tally;        // latency: "reception" or a step name
  bool uncorrected = false;  // latency: the service time
  LatencyStatistic statistic = LatencyStatistic::percentile;
  double percentile = 0.0;
  ThresholdOp op = ThresholdOp::less;
  double limit = 0.0;   // in `unit`
  std::string unit;     // how the expression wrote the limit: us, ms, s, min, %, /s, or ""
  double unit_scale = 1.0;  // base units (µs, fraction, per second, count) per `unit`
};

// Throws Error(invalid_argument) "threshold 'EXPR' at position N: WHAT" (N counts characters
// from 1) for an unknown metric, step or statistic, a missing or unknown unit, a unit that
// does not fit the metric, a missing operator or a malformed number.
Threshold parse_threshold(std::string_view expression);

// What a threshold is measured on: the recorder's whole-run figures, the achieved throughput
// and the generator's lag.
struct ThresholdInputs {
  const LoadRecorder& recorder;
  double throughput_per_s = 0.0;
  Duration max_lag{};
};

struct ThresholdVerdict {
  std::string expression;
  std::optional<double> value;  // in the threshold's unit; empty: nothing was measured
  std::string unit;
  bool pass = false;            // false too when nothing was measured
};

// Call with the recorder quiescent (after finish(), or inside LoadRecorder::inspect()).
ThresholdVerdict evaluate(const Threshold& threshold, const ThresholdInputs& inputs);
// "reception.p99 < 3s: 12.3 ms" style text of a verdict's measured value.
std::string describe_value(const ThresholdVerdict& verdict);
// Whether a threshold can be judged before the run ends (--abort-on-fail): latency, errors
// and lag so far can; throughput cannot (it is measured over the whole run).
bool judged_while_running(const Threshold& threshold);

}  // namespace onshi::load
