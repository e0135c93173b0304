#include "onshi/flow/run_record.hpp"

namespace onshi::flow {

std::string_view to_string(StepStatus status) {
  switch (status) {
    case StepStatus::passed: return "passed";
    case StepStatus::failed: return "failed";
    case StepStatus::skipped: return "skipped";
  }
  return "unknown";
}

bool RunRecord::all_steps_passed() const {
  if (steps.empty()) return false;
  for (const auto& s : steps) {
    if (!s.passed()) return false;
  }
  return true;
}

bool RunRecord::met_expectation() const {
  if (!expected_identity_method.empty() && identity_method != expected_identity_method) return false;
  if (expected_failed_step.empty()) return all_steps_passed();
  const StepResult* failed = nullptr;
  for (const auto& s : steps) {
    if (s.status == StepStatus::failed) {
      failed = &s;
      break;
    }
  }
  return failed != nullptr && failed->name == expected_failed_step &&
         failed->reason.find(expected_reason_contains) != std::string::npos;
}

const StepResult* RunRecord::step(const std::string& name) const {
  for (const auto& s : steps) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace onshi::flow
