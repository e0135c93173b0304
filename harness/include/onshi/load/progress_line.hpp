#pragma once
// What `onshi-hil load` shows while it runs (docs/load.md, "Progress"): elapsed/planned,
// arrivals started, receptions done, in flight, achieved rate, the reception p99 so far and
// errors; on a terminal also a second line, redrawn with the first, with one column per step
// holding that step's corrected p99 so far. Elsewhere (a pipe, a CI log) one plain line a second.
#include <cstddef>
#include <string>

#include "onshi/load/open_loop_generator.hpp"

namespace onshi::load {

// "   1.2/2.0 s  started 24  done 23  in flight 1  rate 19.2/s  p99 4.211 ms  errors 0"
std::string progress_totals(const GeneratorProgress& progress);

// "p99 ms  card_detect 0.412  read_certificate 0.801  …", cut to `width` columns (a line
// longer than the terminal would wrap and break the redraw); "" before any step was recorded.
std::string progress_step_columns(const GeneratorProgress& progress, std::size_t width);

// The two lines for a terminal, drawn over the previous draw: the cursor is left at the start
// of the first, so the next draw overwrites both. `live_end()` moves below them for good.
std::string live_progress(const GeneratorProgress& progress, std::size_t width);
std::string live_end();

}  // namespace onshi::load
