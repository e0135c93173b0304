#pragma once
// The checklist as a run-executor plan (docs/architecture.md, "Run executor"; docs/optest.md):
// one phase per check, in file order, each continuing the run when it fails. The plugs a
// check needs are named by what it needs: "rig" (the wired rig; the preflight runs the doctor,
// onshi/doctor, on it), and for parts the harness does not have yet — the receipt-computer SUT
// link, a viewing terminal, the load generator — plugs the plan leaves unbound, so the executor skips those checks with a reason
// naming what is missing; they are never passed.
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/optest/checklist.hpp"
#include "onshi/optest/operator_prompt.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/run/executor.hpp"

namespace onshi::optest {

// What the checks leave behind besides their phase results: every reception's record, with
// the ONS journal the run saw (the evidence keeps both).
// What a launched system under test wrote while a check ran it (redacted by the SUT launcher,
// harness/src/sut): the evidence bundle keeps it as sut/<check>.stdout.log and .stderr.log.
struct SutLog {
  std::string check;
  std::string stdout_text;
  std::string stderr_text;
};

struct OptestSession {
  std::vector<flow::RunRecord> receptions;
  std::vector<SutLog> sut_logs;
  // Who answers the checks' prompts; nullptr: nobody at a terminal and no answers file, so
  // only the harness answers, on an emulated rig.
  const OperatorConsole* console = nullptr;
};

// True when the harness does the rig's physical acts itself (a virtual card in an emulated or
// exported reader): prompts about them are answered by the harness.
bool is_emulated(const rig::RigConfig& config);

// The plan runs on `rig`; `session` collects the receptions. Both must outlive the run.
run::Plan make_checklist_plan(const Checklist& checklist, rig::WiredRig& rig, OptestSession& session);

enum class OptestOutcome {
  passed,  // every required check passed, and none failed or erred       -> exit 0
  failed,  // a check failed, or a required check did not pass             -> exit 1
  broken,  // a check could not run because the rig is broken (an error)    -> exit 3
};
OptestOutcome outcome_of(const run::RunResult& result, const Checklist& checklist);

}  // namespace onshi::optest
