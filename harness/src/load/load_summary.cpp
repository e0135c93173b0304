#include "onshi/load/load_summary.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace onshi::load {
namespace {

nlohmann::ordered_json percentiles(const HdrHistogram& h) {
  nlohmann::ordered_json j;
  j["p50"] = h.value_at_percentile(50.0);
  j["p90"] = h.value_at_percentile(90.0);
  j["p99"] = h.value_at_percentile(99.0);
  j["p999"] = h.value_at_percentile(99.9);
  j["max"] = h.max();
  j["min"] = h.min();
  return j;
}

double rate(std::int64_t count, Duration over) {
  const double seconds = std::chrono::duration<double>(over).count();
  return seconds > 0.0 ? static_cast<double>(count) / seconds : 0.0;
}

nlohmann::ordered_json distribution(const HdrHistogram& h) {
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const double p : distribution_percentiles) points.push_back({p, h.value_at_percentile(p)});
  return points;
}

nlohmann::ordered_json tally_json(const LatencyTally& t, Duration over) {
  nlohmann::ordered_json j;
  j["count"] = t.count;
  j["errors"] = t.errors;
  j["achieved_rate_per_s"] = rate(t.count, over);
  j["latency_us"] = percentiles(t.corrected);
  j["latency_uncorrected_us"] = percentiles(t.uncorrected);
  j["latency_distribution_us"] = distribution(t.corrected);  // [percentile, value] pairs for the report's chart
  return j;
}

// The achieved rate is over the planned duration, or the real one when the run took longer.
// A run that stopped early (fell behind, or aborted) is judged over the time it really ran:
// over the planned duration it would read low by the share of the schedule it never took.
Duration rate_window(const LoadRunInfo& info, const GeneratorReport& generator) {
  const bool stopped_early = generator.fell_behind || !generator.aborted.empty();
  if (stopped_early) return generator.elapsed;
  return std::max(info.schedule.duration, generator.elapsed);
}

std::string ms(std::int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(us) / 1000.0);
  return text;
}

}  // namespace

double achieved_rate_per_s(const LoadRunInfo& info, const GeneratorReport& generator, const LoadRecorder& recorder) {
  return rate(recorder.reception().count, rate_window(info, generator));
}

std::string load_summary_json(const LoadRunInfo& info, const GeneratorReport& generator, const LoadRecorder& recorder) {
  const Duration window = rate_window(info, generator);
  nlohmann::ordered_json j;
  j["schema"] = load_summary_schema;
  j["rig"] = {{"name", info.rig}, {"file", info.rig_file}};
  j["scenario"] = info.scenario;
  nlohmann::ordered_json mix = nlohmann::ordered_json::object();
  for (const auto& [scenario, arrivals] : info.mix) mix[scenario] = arrivals;
  j["mix"] = mix;
  nlohmann::ordered_json patients = nlohmann::ordered_json::object();
  for (const auto& [patient, receptions] : info.patients) patients[patient] = receptions;
  j["patients"] = patients;
  j["shard"] = info.shard.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(info.shard);
  j["profile"] = info.profile.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(info.profile);
  j["schedule"] = {{"kind", info.schedule_label.empty() ? to_string(info.schedule.kind) : info.schedule_label},
                   {"rate_per_s", info.schedule.rate_per_s},
                   {"duration_s", std::chrono::duration<double>(info.schedule.duration).count()},
                   {"seed", info.schedule.seed},
                   {"readers", info.readers}};
  j["rate_asked_per_s"] = info.schedule.rate_per_s;
  j["rate_achieved_per_s"] = rate(recorder.reception().count, window);
  j["arrivals"] = {{"scheduled", generator.scheduled}, {"started", generator.started}};
  j["receptions"] = tally_json(recorder.reception(), window);
  nlohmann::ordered_json steps = nlohmann::ordered_json::object();
  for (const std::string& name : recorder.step_names()) steps[name] = tally_json(recorder.step(name), window);
  j["steps"] = steps;
  nlohmann::ordered_json errors = nlohmann::ordered_json::object();
  for (const auto& [reason, count] : recorder.errors_by_reason()) errors[reason] = count;
  j["errors_by_reason"] = errors;
  nlohmann::ordered_json throughput = nlohmann::ordered_json::array();
  nlohmann::ordered_json errors_over_time = nlohmann::ordered_json::array();
  nlohmann::ordered_json latency_over_time = {{"p50", nlohmann::ordered_json::array()},
                                              {"p99", nlohmann::ordered_json::array()},
                                              {"max", nlohmann::ordered_json::array()}};
  const double interval_s = std::chrono::duration<double>(recorder.interval()).count();
  for (const IntervalCount& c : recorder.intervals()) {
    throughput.push_back(static_cast<double>(c.completed) / interval_s);
    errors_over_time.push_back(c.errors);
    latency_over_time["p50"].push_back(c.p50_us);
    latency_over_time["p99"].push_back(c.p99_us);
    latency_over_time["max"].push_back(c.max_us);
  }
  j["interval_s"] = interval_s;
  j["throughput_per_s"] = throughput;
  j["errors_per_interval"] = errors_over_time;
  j["latency_per_interval_us"] = latency_over_time;  // the reception's corrected latency, 0 where none ended
  nlohmann::ordered_json thresholds = nlohmann::ordered_json::array();
  for (const ThresholdVerdict& v : info.thresholds) {
    thresholds.push_back({{"expr", v.expression},
                          {"value", v.value ? nlohmann::ordered_json(*v.value) : nlohmann::ordered_json(nullptr)},
                          {"unit", v.unit},
                          {"pass", v.pass}});
  }
  j["thresholds"] = thresholds;
  j["generator"] = {{"max_lag_us", to_micros(generator.max_lag)},
                    {"max_lag_bound_us", to_micros(info.max_lag_bound)},
                    {"fell_behind", generator.fell_behind},
                    {"aborted", generator.aborted.empty() ? nlohmann::ordered_json(nullptr)
                                                          : nlohmann::ordered_json(generator.aborted)},
                    {"elapsed_s", std::chrono::duration<double>(generator.elapsed).count()}};
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  if (recorder.reception().errors > 0) reasons.push_back(std::to_string(recorder.reception().errors) + " reception(s) failed");
  if (generator.fell_behind) reasons.push_back("the generator fell behind schedule");
  if (!generator.aborted.empty()) reasons.push_back("aborted: " + generator.aborted);
  for (const ThresholdVerdict& v : info.thresholds) {
    if (!v.pass) reasons.push_back("threshold failed: " + v.expression + " (measured " + describe_value(v) + ")");
  }
  if (info.sut) {
    const SutOutcome& o = *info.sut;
    j["sut"] = {{"sut", o.sut},
                {"ready_ms", o.ready_ms},
                {"exit", o.exit},
                {"faces_taken_up", o.faces_taken_up},
                {"faces_not_taken_up", o.faces_not_taken_up},
                {"requests_answered", o.requests_answered},
                {"requests_refused", o.requests_refused},
                {"files_rejected", o.files_rejected},
                {"files_left", o.files_left},
                {"problems", o.problems}};
    for (const std::string& problem : o.problems) reasons.push_back(problem);
  } else {
    j["sut"] = nullptr;
  }
  j["verdict"] = reasons.empty() ? "passed" : "failed";
  j["verdict_reasons"] = reasons;
  nlohmann::ordered_json fingerprint = nlohmann::ordered_json::object();
  for (const auto& [key, value] : info.fingerprint) fingerprint[key] = value;
  j["rig"]["fingerprint"] = fingerprint;
  j["histograms"] = "histograms.hlog";
  return j.dump(2) + "\n";
}

void write_console_summary(std::ostream& out, const LoadRunInfo& info, const GeneratorReport& generator,
                           const LoadRecorder& recorder) {
  const Duration window = rate_window(info, generator);
  char line[256];
  std::snprintf(line, sizeof line, "rate asked %.2f/s, achieved %.2f/s; %zu of %zu arrivals started; %lld errors\n",
                info.schedule.rate_per_s, rate(recorder.reception().count, window), generator.started,
                generator.scheduled, static_cast<long long>(recorder.reception().errors));
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %7s %6s %11s %11s %11s %11s %11s   %s\n", "latency ms", "count", "errors",
                "p50", "p90", "p99", "p99.9", "max", "(corrected / uncorrected p99)");
  out << line;
  auto row = [&](const std::string& name, const LatencyTally& t) {
    std::snprintf(line, sizeof line, "  %-22s %7lld %6lld %11s %11s %11s %11s %11s   %s\n", name.c_str(),
                  static_cast<long long>(t.count), static_cast<long long>(t.errors),
                  ms(t.corrected.value_at_percentile(50.0)).c_str(), ms(t.corrected.value_at_percentile(90.0)).c_str(),
                  ms(t.corrected.value_at_percentile(99.0)).c_str(), ms(t.corrected.value_at_percentile(99.9)).c_str(),
                  ms(t.corrected.max()).c_str(), ms(t.uncorrected.value_at_percentile(99.0)).c_str());
    out << line;
  };
  for (const std::string& name : recorder.step_names()) row(name, recorder.step(name));
  row("reception", recorder.reception());
  for (const auto& [reason, count] : recorder.errors_by_reason()) {
    out << "  error " << reason << ": " << count << "\n";
  }
  out << "generator: max lag " << ms(to_micros(generator.max_lag)) << " ms (bound " << ms(to_micros(info.max_lag_bound))
      << " ms)" << (generator.fell_behind ? ": FELL BEHIND, run stopped early" : ", on schedule") << "\n";
  if (!generator.aborted.empty()) out << "aborted: " << generator.aborted << "\n";
  for (const ThresholdVerdict& v : info.thresholds) {
    out << "threshold " << (v.pass ? "passed" : "FAILED") << ": " << v.expression << ": " << describe_value(v) << "\n";
  }
}

}  // namespace onshi::load
