#pragma once
// The run executor (docs/architecture.md, "Run executor"), in the spirit of OpenHTF: a plan
// is a list of phases; each phase names the plugs it needs, records typed measurements and
// details, and ends passed, failed (PhaseFailure or onshi::Error, with the reason), error
// (PhaseError or an onshi::Error whose code is a rig fault: the rig is broken, onshi/run/
// phase_error.hpp; or any other exception: a bug) or skipped. The executor times each phase on the monotonic clock,
// skips a phase whose plugs the plan does not bind (the reason names the plug; such a phase
// is never passed), skips the rest after a phase that did not pass when that phase says
// stop, and emits every step of the run to an EventSink.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/run/event_sink.hpp"
#include "onshi/run/measurement.hpp"
#include "onshi/run/phase_error.hpp"
#include "onshi/run/plugs.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::run {

// Thrown by a phase body to end the phase failed with a reason a person can act on.
struct PhaseFailure {
  std::string reason;
};

// What a phase body works with: its plugs, its clock, and where its findings go.
class PhaseContext {
 public:
  template <class T>
  T& plug(std::string_view name) const {
    return plugs_.get<T>(name);
  }
  const Clock& clock() const { return clock_; }

  // Records a measurement (its verdict computed from the limits) and emits it. A measurement
  // that fails its limits fails the phase once the body returns.
  void measure(std::string name, MeasurementValue value, std::string unit = {},
               std::optional<Limits> limits = std::nullopt);
  void detail(std::string key, std::string value);
  // A run-level attribute ("identity_method" -> "face"), checked by the plan's expectation.
  void set_run_attribute(std::string name, std::string value);

 private:
  friend class Executor;
  PhaseContext(const Plugs& plugs, const Clock& clock, PhaseResult& result, RunResult& run, EventSink* events)
      : plugs_(plugs), clock_(clock), result_(result), run_(run), events_(events) {}
  const Plugs& plugs_;
  const Clock& clock_;
  PhaseResult& result_;
  RunResult& run_;
  EventSink* events_;
};

enum class OnFailure { stop_run, continue_run };

struct Phase {
  std::string name;
  std::vector<std::string> plugs;  // every name must be bound, or the phase is skipped
  std::function<void(PhaseContext&)> body;
  OnFailure on_failure = OnFailure::stop_run;
  // When set, the phase's duration_ms measurement carries it as its upper limit, and a phase
  // over budget fails.
  std::optional<Duration> budget;
};

struct Plan {
  std::string name;
  Attributes attributes;  // copied into the run's result and RunStarted ("rig", "scenario", ...)
  std::vector<Phase> phases;
  Plugs plugs;
  Expectation expectation;
  std::string skip_reason = "an earlier phase failed";  // for phases skipped after a stop
  // Runs after the last phase, before the run ends (the card goes back to the patient); what
  // it throws changes no phase and is kept as the run attribute "teardown_error".
  std::function<void()> teardown;
};

class Executor {
 public:
  explicit Executor(const Clock& clock = SystemClock::instance()) : clock_(clock) {}
  // Never throws for what a phase does; events, when given, see the whole run.
  RunResult run(const Plan& plan, EventSink* events = nullptr) const;

 private:
  const Clock& clock_;
};

}  // namespace onshi::run
