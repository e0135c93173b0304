#include "onshi/run/executor.hpp"

#include <chrono>
#include <exception>

#include "onshi/core/clock.hpp"
#include "onshi/core/error.hpp"
#include "onshi/run/phase_error.hpp"

namespace onshi::run {
namespace {

// The first plug the phase needs that the plan does not bind; empty when all are bound.
std::string missing_plug(const Phase& phase, const Plugs& plugs) {
  for (const auto& name : phase.plugs) {
    if (!plugs.has(name)) return name;
  }
  return {};
}

std::string describe_limits(const Limits& limits) {
  const auto bound = [](const std::optional<double>& v) { return v ? format_value(*v) : std::string("-"); };
  return "[" + bound(limits.low) + ", " + bound(limits.high) + "]";
}

// A measurement outside its limits fails a phase the body passed.
void fail_on_measurements(PhaseResult& result) {
  if (result.verdict != PhaseVerdict::passed) return;
  for (const auto& m : result.measurements) {
    if (m.verdict != MeasurementVerdict::fail) continue;
    result.verdict = PhaseVerdict::failed;
    result.reason = "measurement " + m.name + " = " + format_value(m.value) + (m.unit.empty() ? "" : " " + m.unit) +
                    " is outside its limits " + (m.limits ? describe_limits(*m.limits) : std::string("[-, -]"));
    return;
  }
}

}  // namespace

void PhaseContext::measure(std::string name, MeasurementValue value, std::string unit, std::optional<Limits> limits) {
  result_.measurements.push_back(Measurement::of(std::move(name), std::move(value), std::move(unit), std::move(limits)));
  if (events_ != nullptr) events_->measurement_recorded({run_.name, result_.name, result_.measurements.back()});
}

void PhaseContext::detail(std::string key, std::string value) {
  result_.details.emplace_back(std::move(key), std::move(value));
}

void PhaseContext::set_run_attribute(std::string name, std::string value) {
  set_attribute(run_.attributes, std::move(name), std::move(value));
}

RunResult Executor::run(const Plan& plan, EventSink* events) const {
  RunResult run;
  run.name = plan.name;
  run.attributes = plan.attributes;
  run.expectation = plan.expectation;
  run.started = clock_.wall_now();
  const MonotonicTime run_start = clock_.monotonic_now();
  if (events != nullptr) {
    RunStarted started{plan.name, {}, run.started, plan.attributes};
    for (const auto& phase : plan.phases) started.phases.push_back(phase.name);
    events->run_started(started);
  }

  bool stopped = false;
  for (std::size_t index = 0; index < plan.phases.size(); ++index) {
    const Phase& phase = plan.phases[index];
    PhaseResult result;
    result.name = phase.name;
    if (events != nullptr) events->phase_started({plan.name, phase.name, index});
    const std::string missing = missing_plug(phase, plan.plugs);
    if (stopped) {
      result.verdict = PhaseVerdict::skipped;
      result.reason = plan.skip_reason;
    } else if (!missing.empty()) {
      result.verdict = PhaseVerdict::skipped;
      result.reason = "plug '" + missing + "' is not bound by the plan";
    } else {
      PhaseContext context(plan.plugs, clock_, result, run, events);
      const MonotonicTime start = clock_.monotonic_now();
      try {
        phase.body(context);
        result.verdict = PhaseVerdict::passed;
      } catch (const PhaseFailure& f) {
        result.verdict = PhaseVerdict::failed;
        result.reason = f.reason;
      } catch (const PhaseError& e) {
        result.verdict = PhaseVerdict::error;
        result.reason = e.what();
      } catch (const Error& e) {
        // A rig fault is an error wherever in the phase it happens; any other Error is a verdict.
        result.verdict = is_rig_fault(e.code()) ? PhaseVerdict::error : PhaseVerdict::failed;
        result.reason = is_rig_fault(e.code()) ? rig_broken_reason(e.what()) : std::string(e.what());
      } catch (const std::exception& e) {
        result.verdict = PhaseVerdict::error;
        result.reason = std::string("unexpected error: ") + e.what();
      } catch (...) {
        result.verdict = PhaseVerdict::error;
        result.reason = "unexpected error: an exception that is not a std::exception";
      }
      result.duration = clock_.monotonic_now() - start;
      std::optional<Limits> budget;
      if (phase.budget) budget = Limits::at_most(to_ms(*phase.budget));
      context.measure("duration_ms", to_ms(result.duration), "ms", budget);
      fail_on_measurements(result);
    }
    if (!stopped && !result.passed() && phase.on_failure == OnFailure::stop_run) stopped = true;
    if (events != nullptr) events->phase_ended({plan.name, index, result});
    run.phases.push_back(std::move(result));
  }
  if (plan.teardown) {
    try {
      plan.teardown();
    } catch (const std::exception& e) {
      set_attribute(run.attributes, "teardown_error", e.what());
    }
  }
  run.total = clock_.monotonic_now() - run_start;
  if (events != nullptr) events->run_ended({run});
  return run;
}

}  // namespace onshi::run
