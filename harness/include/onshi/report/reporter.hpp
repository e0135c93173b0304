#pragma once
// A reporter turns the run executor's events into one output format (docs/architecture.md,
// "Reporters"), in the spirit of Google Benchmark's reporters: the console table, the JSON
// record, JUnit XML; the operational test adds HTML and Markdown on the same interface.
// A reporter may receive several runs (an operational test's checks, a load run's
// receptions); finish() is called once after the last and writes what the reporter holds.
#include "onshi/run/event_sink.hpp"

namespace onshi::report {

class Reporter : public run::EventSink {
 public:
  // Writes the output of every run seen so far; Error(io) naming the path when a file
  // cannot be written. A streaming reporter (the console) has nothing left to do here.
  virtual void finish() {}
};

}  // namespace onshi::report
