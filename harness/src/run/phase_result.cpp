#include "onshi/run/phase_result.hpp"

namespace onshi::run {

std::string_view to_string(PhaseVerdict verdict) {
  switch (verdict) {
    case PhaseVerdict::passed: return "passed";
    case PhaseVerdict::failed: return "failed";
    case PhaseVerdict::skipped: return "skipped";
    case PhaseVerdict::error: return "error";
  }
  return "unknown";
}

const Measurement* PhaseResult::measurement(std::string_view measurement_name) const {
  for (const auto& m : measurements) {
    if (m.name == measurement_name) return &m;
  }
  return nullptr;
}

}  // namespace onshi::run
