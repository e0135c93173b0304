#include "onshi/flow/run_record.hpp"

namespace onshi::flow {

std::string_view to_string(StepStatus status) {
  switch (status) {
    case StepStatus::passed: return "passed";
    case StepStatus::failed: return "failed";
    case StepStatus::skipped: return "skipped";
    case StepStatus::error: return "error";
  }
  return "unknown";
}

StepStatus to_step_status(run::PhaseVerdict verdict) {
  switch (verdict) {
    case run::PhaseVerdict::passed: return StepStatus::passed;
    case run::PhaseVerdict::failed: return StepStatus::failed;
    case run::PhaseVerdict::skipped: return StepStatus::skipped;
    case run::PhaseVerdict::error: return StepStatus::error;
  }
  return StepStatus::error;
}

const run::Measurement* StepResult::measurement(const std::string& measurement_name) const {
  for (const auto& m : measurements) {
    if (m.name == measurement_name) return &m;
  }
  return nullptr;
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
    if (s.status == StepStatus::failed || s.status == StepStatus::error) {
      failed = &s;
      break;
    }
  }
  // An error (the rig broke, onshi/run/phase_error.hpp) is not the failure the scenario expects.
  return failed != nullptr && failed->status == StepStatus::failed && failed->name == expected_failed_step &&
         failed->reason.find(expected_reason_contains) != std::string::npos;
}

const StepResult* RunRecord::step(const std::string& step_name) const {
  for (const auto& s : steps) {
    if (s.name == step_name) return &s;
  }
  return nullptr;
}

RunRecord RunRecord::from(const run::RunResult& result) {
  RunRecord record;
  record.name = result.name;
  record.rig = result.attribute("rig");
  record.scenario = result.attribute("scenario");
  record.patient = result.attribute("patient");
  record.facility = result.attribute("facility");
  record.identity_method = result.attribute("identity_method");
  record.result_file = result.attribute("result_file");
  record.started = result.started;
  record.total = result.total;
  record.expected_failed_step = result.expectation.failed_phase;
  record.expected_reason_contains = result.expectation.reason_contains;
  for (const auto& [key, value] : result.expectation.attributes) {
    if (key == "identity_method") record.expected_identity_method = value;
  }
  for (const auto& phase : result.phases) {
    // Built whole: member-wise assignment made GCC -O1 warn maybe-uninitialized on duration.
    record.steps.push_back(StepResult{.name = phase.name,
                                      .status = to_step_status(phase.verdict),
                                      .duration = phase.duration,
                                      .reason = phase.reason,
                                      .details = phase.details,
                                      .measurements = phase.measurements});
  }
  return record;
}

}  // namespace onshi::flow
