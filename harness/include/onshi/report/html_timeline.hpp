#pragma once
// The per-reception timeline of the operational test's report (docs/optest.md, "Evidence"):
// what happened, in order, on each lane of the chain — the card (ATR, certificate, PIN tries,
// signature), the reader (which one, 特定機関認証), the flow (each step with its verdict) and
// the ONS journal (each exchange the mock saw, with the PC's certificate serial and the
// consents) — at its offset from the reception's start. Steps follow one another, so a step's
// offset is the sum of the durations before it; the ONS entries carry their own wall time.
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"

namespace onshi::report {

struct TimelineEntry {
  double at_ms = 0;        // from the reception's start
  double duration_ms = 0;  // 0 for a moment
  std::string lane;        // "card" | "reader" | "flow" | "ons"
  std::string what;        // never a PIN
  std::string status;      // a step's verdict, an ONS answer's "status 200"; may be empty
};

// In time order; for equal times, in lane order card, reader, flow, ons as they were found.
std::vector<TimelineEntry> reception_timeline(const flow::RunRecord& record);

// A <section class="timeline"> for the report: a table of the entries with a bar per entry on
// the reception's time scale (inline CSS widths, no script).
std::string timeline_html(const flow::RunRecord& record);

}  // namespace onshi::report
