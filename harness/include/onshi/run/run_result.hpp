#pragma once
// One whole run as the executor saw it: its name, the plan's and the phases' attributes
// ("rig" -> "emulated", "identity_method" -> "pin"), every phase, and whether the run ended
// the way its plan expected (every phase passes, or a named phase fails for a named reason).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/run/phase_result.hpp"

namespace onshi::run {

using Attributes = std::vector<std::pair<std::string, std::string>>;

// What a run should end with. Empty failed_phase: every phase must pass.
struct Expectation {
  std::string failed_phase;
  std::string reason_contains;  // in the failed phase's reason, when set
  Attributes attributes;        // attributes the run must end with ("identity_method" -> "face")
};

struct RunResult {
  std::string name;
  Attributes attributes;
  std::vector<PhaseResult> phases;
  WallTime started{};
  Duration total{};
  Expectation expectation;

  bool all_phases_passed() const;
  bool met_expectation() const;
  const PhaseResult* phase(std::string_view phase_name) const;
  // The attribute's value, or empty when the run has none of that name.
  std::string attribute(std::string_view attribute_name) const;
};

// Sets or replaces one attribute, keeping the first position it was set at.
void set_attribute(Attributes& attributes, std::string name, std::string value);

}  // namespace onshi::run
