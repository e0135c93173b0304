#include "onshi/optest/load_smoke.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

#include "onshi/core/error.hpp"
#include "onshi/load/arrival_schedule.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/load_summary.hpp"
#include "onshi/load/open_loop_generator.hpp"
#include "onshi/load/threshold.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::optest {
namespace {

std::string figure(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// "reception.p99 < 3s" -> "reception.p99": the measurement's name, the limit beside it.
std::string metric_name(const load::Threshold& t) {
  const std::size_t op = t.expression.find_first_of("<>=");
  std::string name = t.expression.substr(0, op);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return "threshold." + name;
}

run::Limits limits_of(const load::Threshold& t) {
  switch (t.op) {
    case load::ThresholdOp::less:
    case load::ThresholdOp::less_equal: return run::Limits::at_most(t.limit);
    case load::ThresholdOp::greater:
    case load::ThresholdOp::greater_equal: return run::Limits::at_least(t.limit);
    case load::ThresholdOp::equal: return run::Limits{t.limit, t.limit, std::nullopt, std::nullopt};
  }
  return {};
}

}  // namespace

std::string why_load_cannot_drive(const rig::RigConfig& config) {
  if (config.card.kind != "virtual" || config.reader.kind != "emulated") {
    return "the load driver needs emulated readers holding virtual cards; this rig has card " + config.card.kind +
           ", reader " + config.reader.kind;
  }
  if (config.ons.kind != "embedded-mock" && config.ons.kind != "remote") {
    return "the load driver needs an embedded-mock or remote ONS; this rig has ons " + config.ons.kind;
  }
  return {};
}

void run_load_smoke(run::PhaseContext& ctx, const LoadSmokeSpec& spec) {
  rig::WiredRig& rig = ctx.plug<rig::WiredRig>("rig");
  const rig::RigConfig& config = rig.config();
  std::vector<load::Threshold> thresholds;
  for (const std::string& text : spec.thresholds) thresholds.push_back(load::parse_threshold(text));

  load::ScheduleSpec schedule;
  schedule.rate_per_s = spec.rate_per_s;
  schedule.duration = from_seconds(spec.duration_s);
  const std::vector<Duration> arrivals = load::arrivals(schedule);
  ctx.detail("schedule", "constant " + figure(spec.rate_per_s) + "/s for " + figure(spec.duration_s) + " s on " +
                             std::to_string(spec.readers) + " reader(s), scenario " + config.scenario);

  // Each reader its own rig (own embedded mock and result folder): readers share nothing.
  std::vector<std::unique_ptr<rig::WiredRig>> readers;
  std::vector<const flow::Scenario*> scenarios;
  for (std::size_t r = 0; r < spec.readers; ++r) {
    rig::WireOverrides overrides;
    overrides.pki_dir = rig.pki_dir();
    overrides.output_dir = rig.output_root() / "load-smoke" / std::to_string(r);
    readers.push_back(rig::WiredRig::wire(config, overrides));
    scenarios.push_back(&readers.back()->scenario(config.scenario));
  }

  // Real time, whatever the executor's clock: the readers really wait for their arrivals.
  const Clock& clock = SystemClock::instance();
  const MonotonicTime start = clock.monotonic_now() + std::chrono::milliseconds(50);  // every reader thread up first
  load::LoadRecorder recorder(start, std::chrono::seconds(1), nullptr);
  load::GeneratorOptions generator;
  generator.arrivals = arrivals;
  generator.planned = schedule.duration;
  generator.readers = spec.readers;
  const load::ReceptionRunner reception = [&](std::size_t reader, std::size_t) {
    try {
      return load::ReceptionOutcome::from(readers[reader]->run(*scenarios[reader]));
    } catch (const Error& e) {
      return load::ReceptionOutcome::failed(std::string("error:") + std::string(to_string(e.code())));
    }
  };
  const load::GeneratorReport report = load::run_open_loop(clock, generator, reception, recorder, start);
  recorder.finish(clock.monotonic_now());

  load::LoadRunInfo info;
  info.schedule = schedule;
  info.readers = spec.readers;
  const double achieved = load::achieved_rate_per_s(info, report, recorder);
  ctx.measure("arrivals_started", static_cast<double>(report.started), "",
              run::Limits::at_least(static_cast<double>(report.scheduled)));
  ctx.measure("receptions", static_cast<double>(recorder.reception().count));
  ctx.measure("reception_errors", static_cast<double>(recorder.reception().errors));
  ctx.measure("achieved_rate_per_s", achieved, "/s");
  ctx.measure("generator_max_lag_ms", std::chrono::duration<double, std::milli>(report.max_lag).count(), "ms");
  for (const auto& [reason, count] : recorder.errors_by_reason()) ctx.detail("error " + reason, std::to_string(count));

  const load::ThresholdInputs inputs{recorder, achieved, report.max_lag};
  std::string failed;
  for (const load::Threshold& t : thresholds) {
    const load::ThresholdVerdict v = load::evaluate(t, inputs);
    if (v.value) {
      ctx.measure(metric_name(t), *v.value, v.unit, limits_of(t));
    } else {
      ctx.detail(metric_name(t), "nothing measured");
    }
    if (!v.pass) failed += (failed.empty() ? "" : "; ") + t.expression + " (measured " + load::describe_value(v) + ")";
  }
  if (report.fell_behind) {
    throw run::PhaseFailure{"the load generator fell behind schedule by more than " +
                            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(generator.max_lag).count()) +
                            " ms" + (failed.empty() ? std::string() : "; thresholds failed: " + failed)};
  }
  if (!failed.empty()) throw run::PhaseFailure{"load thresholds failed: " + failed};
}

}  // namespace onshi::optest
