#include "onshi/load/load_merge.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/core/error.hpp"
#include "onshi/load/hlog_reader.hpp"
#include "onshi/load/hlog_writer.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/load_reports.hpp"
#include "onshi/load/load_summary.hpp"
#include "onshi/load/threshold.hpp"
#include "summary_json_access.hpp"

namespace onshi::load {
namespace {

namespace fs = std::filesystem;

struct Run {
  fs::path dir;
  nlohmann::json summary;
  HlogContents log;
};

Run read_run(const fs::path& dir) {
  Run run;
  run.dir = dir;
  const fs::path summary = dir / "summary.json";
  std::ifstream in(summary, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "no summary.json: is this a load run's --out folder?", summary.string());
  std::ostringstream text;
  text << in.rdbuf();
  try {
    run.summary = parse_load_summary<nlohmann::json>(text.str(), summary.string());
    required(run.summary, "receptions", "summary");
    required(run.summary, "steps", "summary");
    required(run.summary, "interval_s", "summary");
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::malformed_input, e.what(), summary.string());
  }
  run.log = read_hlog(dir / required(run.summary, "histograms", "summary").get<std::string>());
  return run;
}

}  // namespace

void merge_load_runs(const std::vector<fs::path>& dirs, const fs::path& out) {
  if (dirs.empty()) throw Error(ErrorCode::invalid_argument, "report merge: name at least one load run folder");
  std::vector<Run> runs;
  for (const fs::path& dir : dirs) runs.push_back(read_run(dir));
  const nlohmann::json& first = runs.front().summary;
  const double interval_s = first.at("interval_s").get<double>();
  double base = runs.front().log.base_time_s;
  for (const Run& r : runs) base = std::min(base, r.log.base_time_s);
  auto bin_of = [&](const Run& r, double start_s) {
    return static_cast<std::size_t>(std::max(0.0, std::round((r.log.base_time_s + start_s - base) / interval_s)));
  };

  // Tags in first-seen order; per tag and bin the added histograms.
  std::vector<std::string> tags;
  std::map<std::string, std::map<std::size_t, HdrHistogram>> bins;
  for (const Run& r : runs) {
    for (const HlogInterval& i : r.log.intervals) {
      if (std::find(tags.begin(), tags.end(), i.tag) == tags.end()) tags.push_back(i.tag);
      auto& slot = bins[i.tag];
      const std::size_t bin = bin_of(r, i.start_s);
      auto it = slot.find(bin);
      if (it == slot.end()) it = slot.emplace(bin, HdrHistogram(i.histogram.layout())).first;
      try {
        it->second.add(i.histogram);
      } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, e.message(), (r.dir / "histograms.hlog").string());
      }
    }
  }

  fs::create_directories(out);
  std::ostringstream hlog_text;
  HlogWriter hlog(hlog_text);
  hlog.write_header(WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::duration<double>(base))));
  std::size_t last_bin = 0;
  for (const auto& [tag, per_bin] : bins) {
    if (!per_bin.empty()) last_bin = std::max(last_bin, per_bin.rbegin()->first);
  }
  for (std::size_t bin = 0; bin <= last_bin; ++bin) {
    for (const std::string& tag : tags) {
      const auto it = bins[tag].find(bin);
      if (it != bins[tag].end()) hlog.write_interval(tag, static_cast<double>(bin) * interval_s, interval_s, it->second);
    }
  }
  write_file_atomically(out / "histograms.hlog", hlog_text.str());

  // The whole-run figures: corrected and uncorrected histograms from the log, counts and
  // errors from the summaries.
  LoadRecorder merged(MonotonicTime{}, from_seconds(interval_s), nullptr);
  auto whole = [&](const std::string& tag) {
    HdrHistogram sum;
    for (const auto& [bin, h] : bins[tag]) {
      if (!(sum.layout() == h.layout())) sum = HdrHistogram(h.layout());
      sum.add(h);
    }
    return sum;
  };
  auto absorb = [&](const std::string& name, const std::string& tag, const char* key) {
    LatencyTally tally;
    tally.corrected = whole(tag);
    tally.uncorrected = whole(tag + ".uncorrected");
    for (const Run& r : runs) {
      const nlohmann::json& from = std::string(key) == "receptions" ? r.summary.at("receptions") : r.summary.at("steps");
      const nlohmann::json* t = std::string(key) == "receptions" ? &from : (from.contains(name) ? &from.at(name) : nullptr);
      if (t == nullptr) continue;
      tally.count += t->at("count").get<std::int64_t>();
      tally.errors += t->at("errors").get<std::int64_t>();
    }
    merged.absorb_tally(name, tally);
  };
  for (const std::string& tag : tags) {
    if (tag == "reception" || tag.ends_with(".uncorrected")) continue;
    absorb(tag, tag, "steps");
  }
  absorb("reception", "reception", "receptions");

  GeneratorReport generator;
  LoadRunInfo info;
  info.rig = first.at("rig").value("name", "");
  info.rig_file = first.at("rig").value("file", "");
  info.scenario = first.value("scenario", "");
  info.profile = first.value("profile", nlohmann::json()).is_string() ? first.at("profile").get<std::string>() : "";
  info.schedule_label = first.at("schedule").value("kind", "");
  info.schedule.seed = first.at("schedule").value("seed", std::uint64_t{1});
  info.schedule.rate_per_s = 0.0;
  info.readers = 0;  // the runs' readers add up
  double duration_s = 0.0;
  double elapsed_s = 0.0;
  std::vector<std::string> thresholds;
  for (const Run& r : runs) {
    const nlohmann::json& s = r.summary;
    info.schedule.rate_per_s += s.at("schedule").value("rate_per_s", 0.0);
    duration_s = std::max(duration_s, s.at("schedule").value("duration_s", 0.0));
    info.readers += s.at("schedule").value("readers", std::size_t{0});
    generator.scheduled += s.at("arrivals").value("scheduled", std::size_t{0});
    generator.started += s.at("arrivals").value("started", std::size_t{0});
    const nlohmann::json& g = s.at("generator");
    generator.max_lag = std::max(generator.max_lag, Duration(std::chrono::microseconds(g.value("max_lag_us", std::int64_t{0}))));
    info.max_lag_bound = std::max(info.max_lag_bound, Duration(std::chrono::microseconds(g.value("max_lag_bound_us", std::int64_t{0}))));
    generator.fell_behind = generator.fell_behind || g.value("fell_behind", false);
    if (generator.aborted.empty() && g.contains("aborted") && g.at("aborted").is_string()) generator.aborted = g.at("aborted");
    elapsed_s = std::max(elapsed_s, r.log.base_time_s - base + g.value("elapsed_s", 0.0));
    for (const auto& [reason, count] : s.at("errors_by_reason").items()) merged.absorb_errors(reason, count.get<std::int64_t>());
    if (s.contains("mix")) {
      for (const auto& [scenario, count] : s.at("mix").items()) info.mix[scenario] += count.get<std::size_t>();
    }
    if (s.contains("patients")) {
      for (const auto& [patient, count] : s.at("patients").items()) info.patients[patient] += count.get<std::int64_t>();
    }
    if (s.contains("thresholds")) {
      for (const nlohmann::json& t : s.at("thresholds")) {
        const std::string expr = t.at("expr").get<std::string>();
        if (std::find(thresholds.begin(), thresholds.end(), expr) == thresholds.end()) thresholds.push_back(expr);
      }
    }
    // Errors per interval, moved onto the merged bins.
    const std::size_t shift = bin_of(r, 0.0);
    const nlohmann::json& errors = s.at("errors_per_interval");
    for (std::size_t i = 0; i < errors.size(); ++i) {
      merged.absorb_interval(shift + i, IntervalCount{0, errors.at(i).get<std::int64_t>(), 0, 0, 0});
    }
  }
  info.readers = std::max<std::size_t>(info.readers, 1);
  if (info.rig_file.empty()) info.rig_file = "(merged)";
  const nlohmann::json fingerprint = first.at("rig").value("fingerprint", nlohmann::json::object());
  for (const auto& [key, value] : fingerprint.items()) {
    info.fingerprint[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  info.schedule.duration = from_seconds(duration_s);
  generator.elapsed = from_seconds(elapsed_s);
  merged.absorb_start_lag(generator.max_lag);
  for (const auto& [bin, h] : bins["reception"]) {
    merged.absorb_interval(bin, IntervalCount{h.total_count(), 0, h.value_at_percentile(50.0), h.value_at_percentile(99.0), h.max()});
  }
  const ThresholdInputs inputs{merged, achieved_rate_per_s(info, generator, merged), generator.max_lag};
  for (const std::string& expr : thresholds) info.thresholds.push_back(evaluate(parse_threshold(expr), inputs));

  const std::string summary = load_summary_json(info, generator, merged);
  write_file_atomically(out / "summary.json", summary);
  write_file_atomically(out / "summary.md", load_summary_markdown(summary));
  write_file_atomically(out / "report.html", load_report_html(summary));
}

}  // namespace onshi::load
