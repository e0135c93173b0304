#pragma once
// A check that could not run because the rig is broken — connection refused, a TLS failure,
// a folder that is not writable, a bounded wait that ran out — ends in *error* (exit 3), not
// in *failed* (exit 1), which is kept for an expectation the chain did not meet
// (docs/optest.md, "Verdicts"). Thrown from a check's body, it is the executor's PhaseError
// (onshi/run/phase_error.hpp), so the phase ends `error` with this reason as it is.
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/run/phase_error.hpp"

namespace onshi::optest {

class RigBroken : public run::PhaseError {
 public:
  explicit RigBroken(const std::string& what) : run::PhaseError(run::rig_broken_reason(what)) {}
};

// True for the error codes that say the rig, not the chain's behaviour, is at fault when they
// come out of wiring or opening a link (a reader that is not there is a device error then).
inline bool is_rig_fault(ErrorCode code) { return run::is_rig_fault(code) || code == ErrorCode::device; }

}  // namespace onshi::optest
