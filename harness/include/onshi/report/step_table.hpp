#pragma once
// The per-step table `onshi-hil run` prints: step, status, duration, reason.
#include <ostream>

#include "onshi/flow/run_record.hpp"

namespace onshi::report {

void print_step_table(std::ostream& out, const flow::RunRecord& record);

}  // namespace onshi::report
