#pragma once
// What the load tool keeps of one reception: each step that ran with its duration, and
// whether the reception ended as its scenario expects; when not, the reason counted in
// "errors by reason" (the failed step's name, "expectation" when every step passed but the
// scenario expected a failure, "exception" when the harness itself threw).
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/flow/run_record.hpp"

namespace onshi::load {

// The step a load run adds after a reception's own (flow::step_names) when a receipt computer
// is under test: until it took the face file up (docs/load.md, "A receipt computer under load").
inline constexpr const char* face_taken_up_step = "face_taken_up";

struct StepTiming {
  std::string name;
  Duration duration{};
  bool passed = false;
};

struct ReceptionOutcome {
  std::vector<StepTiming> steps;  // steps that ran (passed or failed), in order; skipped ones left out
  std::string error;              // empty: the reception met its scenario's expectation

  bool ok() const { return error.empty(); }
  static ReceptionOutcome from(const flow::RunRecord& record);
  static ReceptionOutcome failed(std::string reason) { return ReceptionOutcome{{}, std::move(reason)}; }
};

}  // namespace onshi::load
