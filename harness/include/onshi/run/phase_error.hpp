#pragma once
// The third way a phase can end (docs/architecture.md, "Run executor"): it could not do its
// job because the rig is broken — a connection refused, a TLS failure, a folder that cannot be
// written, a bounded wait that ran out. That is an *error*, not a *failed* expectation: a
// verdict about the chain needs a chain that works (docs/optest.md, "Verdicts"). A phase
// throws PhaseError to say so; an onshi::Error whose code is a rig fault ends the phase the
// same way, wherever in the phase it is thrown.
#include <stdexcept>
#include <string>

#include "onshi/core/error.hpp"

namespace onshi::run {

// Thrown by a phase body: the phase ends `error` with what() as its reason.
class PhaseError : public std::runtime_error {
 public:
  explicit PhaseError(const std::string& reason) : std::runtime_error(reason) {}
};

// The codes that say the rig, not the behaviour under test, is at fault: file system or socket
// (io), handshake or certificate (tls), a bounded wait (timeout). A card or reader answering
// with an error (card, device: a card pulled mid-read) is the chain's behaviour and fails.
inline bool is_rig_fault(ErrorCode code) {
  return code == ErrorCode::io || code == ErrorCode::tls || code == ErrorCode::timeout;
}

// The reason an executor gives a phase that ended on a rig fault.
inline std::string rig_broken_reason(const std::string& what) { return "the rig is broken: " + what; }

}  // namespace onshi::run
