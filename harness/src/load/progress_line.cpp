#include "onshi/load/progress_line.hpp"

#include <cstdio>

namespace onshi::load {
namespace {

std::string milliseconds(std::int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(us) / 1000.0);
  return text;
}

}  // namespace

std::string progress_totals(const GeneratorProgress& p) {
  const double elapsed = std::chrono::duration<double>(p.elapsed).count();
  char text[200];
  std::snprintf(text, sizeof text, "%6.1f/%.1f s  started %zu  done %lld  in flight %zu  rate %.1f/s  p99 %.3f ms  errors %lld",
                elapsed, std::chrono::duration<double>(p.planned).count(), p.started,
                static_cast<long long>(p.recorded.completed), p.in_flight,
                elapsed > 0.0 ? static_cast<double>(p.recorded.completed) / elapsed : 0.0,
                static_cast<double>(p.recorded.p99_us) / 1000.0, static_cast<long long>(p.recorded.errors));
  return text;
}

std::string progress_step_columns(const GeneratorProgress& p, std::size_t width) {
  if (p.recorded.steps.empty()) return "";
  std::string line = "p99 ms";
  for (const LoadRecorder::StepP99& step : p.recorded.steps) {
    const std::string column = "  " + step.name + " " + milliseconds(step.p99_us);
    // Whole columns only: a cut figure would read as another number.
    if (line.size() + column.size() > width) break;
    line += column;
  }
  return line;
}

std::string live_progress(const GeneratorProgress& p, std::size_t width) {
  std::string totals = progress_totals(p);
  if (totals.size() > width) totals.resize(width);
  // \r and erase-to-end on each line, then back up to the first: both lines redrawn in place.
  return "\r" + totals + "\x1b[K\n\r" + progress_step_columns(p, width) + "\x1b[K\x1b[1A\r";
}

std::string live_end() { return "\n\n"; }

}  // namespace onshi::load
