#include "onshi/load/reception_outcome.hpp"

namespace onshi::load {

ReceptionOutcome ReceptionOutcome::from(const flow::RunRecord& record) {
  ReceptionOutcome outcome;
  std::string first_failed;
  for (const flow::StepResult& step : record.steps) {
    if (step.status == flow::StepStatus::skipped) continue;
    outcome.steps.push_back({step.name, step.duration, step.passed()});
    if (!step.passed() && first_failed.empty()) first_failed = step.name;
  }
  if (!record.met_expectation()) outcome.error = first_failed.empty() ? "expectation" : first_failed;
  return outcome;
}

}  // namespace onshi::load
