#pragma once
// A check that could not run because the rig is broken — connection refused, a TLS failure,
// a folder that is not writable, a bounded wait that ran out — ends in *error* (exit 3), not
// in *failed* (exit 1), which is kept for an expectation the chain did not meet
// (docs/optest.md, "Verdicts"). Thrown from a check's body: the executor ends a phase that
// throws something other than a verdict as error.
#include <stdexcept>
#include <string>

#include "onshi/core/error.hpp"

namespace onshi::optest {

class RigBroken : public std::runtime_error {
 public:
  explicit RigBroken(const std::string& what) : std::runtime_error("the rig is broken: " + what) {}
};

// True for the error codes that say the rig, not the chain's behaviour, is at fault.
inline bool is_rig_fault(ErrorCode code) {
  return code == ErrorCode::io || code == ErrorCode::tls || code == ErrorCode::timeout || code == ErrorCode::device;
}

}  // namespace onshi::optest
