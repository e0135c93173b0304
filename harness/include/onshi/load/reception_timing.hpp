#pragma once
// The three instants of one arrival, and the latencies made from them (docs/load.md,
// "Coordinated omission"). `scheduled` is when the schedule said the patient arrives,
// `started` when a free reader took the reception, `ended` when it finished. The corrected
// latency counts from `scheduled`, as wrk2 does, so time spent waiting for a reader (a system
// too slow for the rate) is not hidden; the uncorrected one counts from `started`.
#include "onshi/core/clock.hpp"

namespace onshi::load {

struct ReceptionTiming {
  MonotonicTime scheduled{};
  MonotonicTime started{};
  MonotonicTime ended{};

  Duration corrected() const { return ended - scheduled; }
  Duration uncorrected() const { return ended - started; }
  // How far behind schedule the reception started (0 when on time).
  Duration start_lag() const { return started > scheduled ? started - scheduled : Duration::zero(); }
};

}  // namespace onshi::load
