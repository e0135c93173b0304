#pragma once
// What the run executor tells the world while it runs (docs/architecture.md, "Run executor"):
// run started (with the plan's phase names), phase started, measurement recorded, phase ended,
// run ended. Reporters (onshi/report) and live displays are sinks. A sink may see several runs
// one after another (an operational test, a load run), so every event names its run.
// Sinks must not throw: the executor calls them between phases and a reporter's failure is
// reported when it writes its output, not in the middle of a run.
#include <cstddef>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/run/measurement.hpp"
#include "onshi/run/phase_result.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::run {

struct RunStarted {
  std::string run;
  std::vector<std::string> phases;  // in the order they will run
  WallTime started{};
  Attributes attributes;
};

struct PhaseStarted {
  std::string run;
  std::string phase;
  std::size_t index = 0;  // into RunStarted::phases
};

struct MeasurementRecorded {
  std::string run;
  std::string phase;
  Measurement measurement;
};

struct PhaseEnded {
  std::string run;
  std::size_t index = 0;
  PhaseResult result;
};

struct RunEnded {
  RunResult result;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void run_started(const RunStarted& event) = 0;
  virtual void phase_started(const PhaseStarted& /*event*/) {}
  virtual void measurement_recorded(const MeasurementRecorded& /*event*/) {}
  virtual void phase_ended(const PhaseEnded& event) = 0;
  virtual void run_ended(const RunEnded& event) = 0;
};

// Hands every event to each sink in turn (a console table, a JUnit file and a JSON record at once).
class EventFanout final : public EventSink {
 public:
  void add(EventSink& sink) { sinks_.push_back(&sink); }
  void run_started(const RunStarted& event) override {
    for (EventSink* s : sinks_) s->run_started(event);
  }
  void phase_started(const PhaseStarted& event) override {
    for (EventSink* s : sinks_) s->phase_started(event);
  }
  void measurement_recorded(const MeasurementRecorded& event) override {
    for (EventSink* s : sinks_) s->measurement_recorded(event);
  }
  void phase_ended(const PhaseEnded& event) override {
    for (EventSink* s : sinks_) s->phase_ended(event);
  }
  void run_ended(const RunEnded& event) override {
    for (EventSink* s : sinks_) s->run_ended(event);
  }

 private:
  std::vector<EventSink*> sinks_;
};

}  // namespace onshi::run
