#include "onshi/run/run_result.hpp"

namespace onshi::run {

bool RunResult::all_phases_passed() const {
  if (phases.empty()) return false;
  for (const auto& p : phases) {
    if (!p.passed()) return false;
  }
  return true;
}

bool RunResult::met_expectation() const {
  for (const auto& [key, value] : expectation.attributes) {
    if (attribute(key) != value) return false;
  }
  if (expectation.failed_phase.empty()) return all_phases_passed();
  // The first phase that did not pass or skip is the one the expectation is about; an error
  // there (the rig broke) is not the failure the plan expects.
  for (const auto& p : phases) {
    if (p.verdict == PhaseVerdict::failed || p.verdict == PhaseVerdict::error) {
      return p.verdict == PhaseVerdict::failed && p.name == expectation.failed_phase &&
             p.reason.find(expectation.reason_contains) != std::string::npos;
    }
  }
  return false;
}

const PhaseResult* RunResult::phase(std::string_view phase_name) const {
  for (const auto& p : phases) {
    if (p.name == phase_name) return &p;
  }
  return nullptr;
}

std::string RunResult::attribute(std::string_view attribute_name) const {
  for (const auto& [key, value] : attributes) {
    if (key == attribute_name) return value;
  }
  return {};
}

void set_attribute(Attributes& attributes, std::string name, std::string value) {
  for (auto& [existing, old_value] : attributes) {
    if (existing == name) {
      old_value = std::move(value);
      return;
    }
  }
  attributes.emplace_back(std::move(name), std::move(value));
}

}  // namespace onshi::run
