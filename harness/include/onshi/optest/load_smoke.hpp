#pragma once
// The checklist's load smoke (docs/optest.md, "Load smoke"): a short open-loop run of
// onshi/load on the rig — N readers, each a rig wired from the same rig file with its own
// result folder — judged by the check's thresholds (onshi/load/threshold.hpp), each recorded
// as a typed measurement with its limit. Only a rig whose readers the harness can multiply
// can be driven: an emulated reader holding a virtual card, against the embedded mock or a
// remote ONS.
#include <string>
#include <vector>

#include "onshi/rig/rig_config.hpp"
#include "onshi/run/executor.hpp"

namespace onshi::optest {

struct LoadSmokeSpec {
  double rate_per_s = 10.0;
  double duration_s = 2.0;
  std::size_t readers = 2;
  std::vector<std::string> thresholds;  // "reception.p99 < 3s", "errors.rate < 0.1%"
};

// Empty when the load driver can drive this rig; otherwise why not, in words for the report.
std::string why_load_cannot_drive(const rig::RigConfig& config);

// Runs the smoke load for the check in `ctx` (its "rig" plug is the WiredRig); throws
// PhaseFailure naming every threshold that did not hold, or the generator falling behind.
void run_load_smoke(run::PhaseContext& ctx, const LoadSmokeSpec& spec);

}  // namespace onshi::optest
