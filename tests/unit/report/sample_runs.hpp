#pragma once
// Two fixed runs for the reporters' golden tests: a reception that fails at identity_check as
// its scenario expects (with a skipped, an error-free and a failing phase, text that XML must
// escape, and Japanese), and a second one of another scenario where one phase is an error.
// Times come from a fixed start, so every reporter's output is byte-stable.
#include <chrono>
#include <vector>

#include "onshi/run/event_sink.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::report::sample {

using namespace std::chrono_literals;

// 2026-12-01T10:00:00Z
inline WallTime fixed_start() { return std::chrono::system_clock::from_time_t(1796119200); }

inline run::PhaseResult phase(const char* name, run::PhaseVerdict verdict, Duration d, const char* reason = "") {
  run::PhaseResult p;
  p.name = name;
  p.verdict = verdict;
  p.duration = d;
  p.reason = reason;
  if (verdict != run::PhaseVerdict::skipped) {
    p.measurements.push_back(
        run::Measurement::of("duration_ms", std::chrono::duration<double, std::milli>(d).count(), "ms"));
  }
  return p;
}

inline run::RunResult pin_locked() {
  run::RunResult r;
  r.name = "pin-locked";
  r.attributes = {{"rig", "emulated"}, {"scenario", "pin-locked"}, {"patient", "P003"}, {"facility", "1312345678"}};
  r.started = fixed_start();
  r.expectation.failed_phase = "identity_check";
  r.expectation.reason_contains = "blocked";
  run::PhaseResult detect = phase("card_detect", run::PhaseVerdict::passed, 1250us);
  detect.details = {{"reader", "Emulated CCID <onshi> & co"}, {"atr", "3B E0 00 FF 81 31 FE 45"}};
  run::PhaseResult certificate = phase("read_certificate", run::PhaseVerdict::passed, 12500us);
  certificate.measurements.push_back(run::Measurement::of("certificate_days_left", 1824.0, "days"));
  certificate.details = {{"subject", "CN=P003 \"test\""}, {"serial", "01AB"}};
  run::PhaseResult identity = phase("identity_check", run::PhaseVerdict::failed, 30ms,
                                    "wrong PIN on attempt 3, no tries left: the user-authentication PIN is now blocked");
  identity.measurements.push_back(run::Measurement::of("tries_left_before", 3.0));
  identity.measurements.push_back(run::Measurement::of("pin_attempts", 3.0));
  identity.details = {{"path", "pin"}, {"method", "pin"}, {"tries_left_before", "3"}, {"pin_attempts", "3"}};
  r.phases = {detect, certificate, identity,
              phase("consent", run::PhaseVerdict::skipped, 0ms, "an earlier step failed"),
              phase("qualification_lookup", run::PhaseVerdict::skipped, 0ms, "an earlier step failed"),
              phase("deliver_result", run::PhaseVerdict::skipped, 0ms, "an earlier step failed")};
  r.attributes.emplace_back("identity_method", "pin");
  r.total = 44ms;
  return r;
}

inline run::RunResult visual_error() {
  run::RunResult r;
  r.name = "visual-ok";
  r.attributes = {{"rig", "emulated"}, {"scenario", "visual-ok"}, {"patient", "P001"}, {"facility", "1312345678"}};
  r.started = fixed_start() + 1s;
  run::PhaseResult identity = phase("identity_check", run::PhaseVerdict::passed, 2ms);
  identity.details = {{"method", "visual"}, {"operator_decision", "confirmed"}, {"note", "目視確認"}};
  run::PhaseResult lookup = phase("qualification_lookup", run::PhaseVerdict::error, 7ms, "unexpected error: bad_alloc");
  lookup.measurements.push_back(
      run::Measurement::of("results", 1.0, "", run::Limits{1.0, 4.0, std::nullopt, std::nullopt}));
  run::PhaseResult deliver = phase("deliver_result", run::PhaseVerdict::skipped, 0ms, "an earlier step failed");
  r.phases = {identity, lookup, deliver};
  r.total = 9ms;
  return r;
}

// Emits a finished run's events as the executor would have.
inline void replay(const run::RunResult& r, run::EventSink& sink) {
  run::RunStarted started{r.name, {}, r.started, {}};
  for (const auto& p : r.phases) started.phases.push_back(p.name);
  // The attributes a plan starts with: those set before any phase ran (identity_method is a phase's).
  for (const auto& a : r.attributes) {
    if (a.first != "identity_method" && a.first != "result_file") started.attributes.push_back(a);
  }
  sink.run_started(started);
  for (std::size_t i = 0; i < r.phases.size(); ++i) {
    sink.phase_started({r.name, r.phases[i].name, i});
    for (const auto& m : r.phases[i].measurements) sink.measurement_recorded({r.name, r.phases[i].name, m});
    sink.phase_ended({r.name, i, r.phases[i]});
  }
  sink.run_ended({r});
}

}  // namespace onshi::report::sample
