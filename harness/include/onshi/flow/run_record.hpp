#pragma once
// One run of the reception flow: which rig and scenario, every step, and whether the run
// ended as the scenario expected. Output formats (JSON, table, JUnit) live in onshi/report.
// Schema 2 adds each step's typed measurements, the "error" status and the run's identity
// method and expectations to every field of schema 1.
#include <cstdint>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/flow/step_result.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::flow {

inline constexpr const char* run_record_schema = "onshi-hil/run-record/2";

// One exchange as the embedded mock ONS journaled it (onshi/mocks/ons/journal.hpp), copied
// into the run record; flow does not depend on mocks.
struct OnsJournalEntry {
  std::uint64_t sequence = 0;
  std::string kind;  // "request" | "handshake_failure"
  WallTime received_at{};
  std::string target;
  unsigned status = 0;
  std::string error_code;
  std::string refusal;
  std::string fault;
  std::string client_serial;
  std::string client_fingerprint;
  std::string facility_code;
  std::string patient_id;
  std::vector<std::string> consents;
  Duration duration{};
};

struct RunRecord {
  std::string name;  // the executor's run name (the scenario's name)
  std::string rig;
  std::string scenario;
  std::string patient;   // synthetic patient id, never a name or number
  std::string facility;  // 医療機関コード
  WallTime started{};
  Duration total{};
  std::vector<StepResult> steps;
  // The scenario's expectation: every step passes, or a named step fails.
  std::string expected_failed_step;  // empty: all steps must pass
  std::string expected_reason_contains;  // in the failed step's reason, when set
  std::string expected_identity_method;  // the identity method the run must end with, when set
  std::string identity_method;           // how identity was proven: pin, face, visual, pin-after-face-miss
  std::string result_file;           // the delivered face file, when delivered
  std::vector<OnsJournalEntry> ons_journal;  // embedded mock ONS only: what it saw during the run

  bool all_steps_passed() const;
  // True when the run ended the way the scenario says it should.
  bool met_expectation() const;
  const StepResult* step(const std::string& step_name) const;

  // The record of an executor run: attributes rig, scenario, patient, facility,
  // identity_method and result_file, the expectation, and one step per phase.
  static RunRecord from(const run::RunResult& result);
};

StepStatus to_step_status(run::PhaseVerdict verdict);

}  // namespace onshi::flow
