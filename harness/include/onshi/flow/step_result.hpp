#pragma once
// The outcome of one reception step: passed, failed (with the reason a person can act on)
// or skipped (an earlier step failed), its monotonic duration, and what it observed.
#include <string>
#include <utility>
#include <vector>

#include "onshi/core/clock.hpp"

namespace onshi::flow {

enum class StepStatus { passed, failed, skipped };
std::string_view to_string(StepStatus status);

struct StepResult {
  std::string name;
  StepStatus status = StepStatus::skipped;
  Duration duration{};
  std::string reason;  // empty when passed
  // Observations worth keeping ("atr" -> "3BE0...", "tries_left" -> "3"); never a PIN.
  std::vector<std::pair<std::string, std::string>> details;

  bool passed() const { return status == StepStatus::passed; }
};

}  // namespace onshi::flow
