#pragma once
// One run of the reception flow: which rig and scenario, every step, and whether the run
// ended as the scenario expected. Output formats (JSON, table) live in onshi/report.
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/flow/step_result.hpp"

namespace onshi::flow {

inline constexpr const char* run_record_schema = "onshi-hil/run-record/1";

struct RunRecord {
  std::string rig;
  std::string scenario;
  std::string patient;   // synthetic patient id, never a name or number
  std::string facility;  // 医療機関コード
  WallTime started{};
  Duration total{};
  std::vector<StepResult> steps;
  // The scenario's expectation: every step passes, or a named step fails.
  std::string expected_failed_step;  // empty: all steps must pass
  std::string result_file;           // the delivered face file, when delivered

  bool all_steps_passed() const;
  // True when the run ended the way the scenario says it should.
  bool met_expectation() const;
  const StepResult* step(const std::string& name) const;
};

}  // namespace onshi::flow
