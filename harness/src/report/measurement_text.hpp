#pragma once
// How the HTML and Markdown reports write a measurement's limits and a duration.
#include <cstdio>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/run/measurement.hpp"

namespace onshi::report::detail {

// "≤ 5000", "≥ 1", "1 .. 5", "" without limits.
inline std::string limits_text(const run::Measurement& m) {
  if (!m.limits) return {};
  const auto& l = *m.limits;
  if (l.low && l.high) return run::format_value(*l.low) + " .. " + run::format_value(*l.high);
  if (l.high) return "\u2264 " + run::format_value(*l.high);
  if (l.low) return "\u2265 " + run::format_value(*l.low);
  return {};
}

inline std::string milliseconds_text(Duration d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", std::chrono::duration<double, std::milli>(d).count());
  return buffer;
}

}  // namespace onshi::report::detail
