#pragma once
// How one phase ended: its verdict and reason, its monotonic duration, its typed measurements
// and its free-form details ("atr" -> "3BE0..."), which never hold a PIN.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/run/measurement.hpp"

namespace onshi::run {

// passed / failed: the phase ran and judged; skipped: it did not run (an earlier phase failed,
// or a plug it needs is not bound); error: it ran and threw something that is not a verdict.
enum class PhaseVerdict { passed, failed, skipped, error };
std::string_view to_string(PhaseVerdict verdict);

struct PhaseResult {
  std::string name;
  PhaseVerdict verdict = PhaseVerdict::skipped;
  std::string reason;  // empty when passed
  Duration duration{};
  std::vector<Measurement> measurements;
  std::vector<std::pair<std::string, std::string>> details;

  bool passed() const { return verdict == PhaseVerdict::passed; }
  const Measurement* measurement(std::string_view measurement_name) const;
};

}  // namespace onshi::run
