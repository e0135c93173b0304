#pragma once
// The outcome of one reception step: passed, failed (with the reason a person can act on),
// error (the harness itself broke), or skipped (an earlier step failed, or a plug is not
// bound), its monotonic duration, its typed measurements, and what it observed.
#include <string>
#include <utility>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/run/measurement.hpp"

namespace onshi::flow {

enum class StepStatus { passed, failed, skipped, error };
std::string_view to_string(StepStatus status);

struct StepResult {
  std::string name;
  StepStatus status = StepStatus::skipped;
  Duration duration{};
  std::string reason;  // empty when passed
  // Observations worth keeping ("atr" -> "3BE0...", "tries_left" -> "3"); never a PIN.
  std::vector<std::pair<std::string, std::string>> details;
  // Typed findings ("duration_ms", "pin_attempts", "signature_bytes", ...) with their verdicts.
  std::vector<run::Measurement> measurements{};

  bool passed() const { return status == StepStatus::passed; }
  const run::Measurement* measurement(const std::string& measurement_name) const;
};

}  // namespace onshi::flow
