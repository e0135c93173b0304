#include "onshi/load/load_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/load/hlog_reader.hpp"
#include "summary_json_access.hpp"

namespace onshi::load {
namespace {

namespace fs = std::filesystem;

// U of `current` over `base` from per-value counts in ascending value order, ties shared.
struct RankSums {
  double u = 0.0;
  double tie_term = 0.0;  // sum of t^3 - t over groups of tied values
  double n_base = 0.0;
  double n_current = 0.0;
};

double p_greater(const RankSums& r) {
  if (r.n_base == 0.0 || r.n_current == 0.0) return 1.0;
  const double n = r.n_base + r.n_current;
  const double mean = r.n_base * r.n_current / 2.0;
  const double variance = r.n_base * r.n_current / 12.0 * ((n + 1.0) - r.tie_term / (n * (n - 1.0)));
  if (!(variance > 0.0)) return 1.0;  // every value tied: nothing tells them apart
  const double z = (r.u - mean - 0.5) / std::sqrt(variance);
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

void add_group(RankSums& r, double base_count, double current_count, double& base_below) {
  r.u += current_count * (base_below + 0.5 * base_count);
  const double t = base_count + current_count;
  r.tie_term += t * t * t - t;
  r.n_base += base_count;
  r.n_current += current_count;
  base_below += base_count;
}

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "cannot read", file.string());
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) throw Error(ErrorCode::malformed_input, "not JSON", file.string());
  return j;
}

bool is_load_run(const fs::path& p) { return fs::is_directory(p) || p.filename() == "summary.json"; }
fs::path run_dir(const fs::path& p) { return fs::is_directory(p) ? p : p.parent_path(); }

void warn_on_different(const nlohmann::json& a, const nlohmann::json& b, const std::string& what,
                       std::vector<std::string>& warnings) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.push_back(k);
  for (const auto& [k, v] : b.items()) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  for (const std::string& k : keys) {
    const std::string va = a.contains(k) ? a.at(k).dump() : "(none)";
    const std::string vb = b.contains(k) ? b.at(k).dump() : "(none)";
    if (va != vb) warnings.push_back(what + " differ in '" + k + "': " + va + " vs " + vb + " (different hardware is not a regression)");
  }
}

// Per-interval medians of one tag: the run's batch means. Receptions of one run share the
// machine's state (another job's burst slows a whole stretch of them), so they are not the
// independent samples Mann-Whitney assumes and their p-value over-states; interval medians
// are close to independent (docs/load.md, "Comparing runs").
std::vector<double> interval_medians(const HlogContents& log, const std::string& tag) {
  std::vector<double> medians;
  for (const HlogInterval& interval : log.intervals) {
    if (interval.tag == tag && interval.histogram.total_count() > 0) {
      medians.push_back(static_cast<double>(interval.histogram.value_at_percentile(50.0)));
    }
  }
  return medians;
}

Comparison compare_load(const fs::path& base_path, const fs::path& current_path, const CompareOptions& options) {
  Comparison c;
  c.kind = "load";
  c.options = options;
  const fs::path base_dir = run_dir(base_path);
  const fs::path current_dir = run_dir(current_path);
  const nlohmann::json base = parse_load_summary<nlohmann::json>(read_json(base_dir / "summary.json").dump(), (base_dir / "summary.json").string());
  const nlohmann::json current =
      parse_load_summary<nlohmann::json>(read_json(current_dir / "summary.json").dump(), (current_dir / "summary.json").string());
  warn_on_different(required(base, "rig", "summary").value("fingerprint", nlohmann::json::object()),
                    required(current, "rig", "summary").value("fingerprint", nlohmann::json::object()),
                    "rig fingerprints", c.warnings);
  const HlogContents base_log = read_hlog(base_dir / base.value("histograms", "histograms.hlog"));
  const HlogContents current_log = read_hlog(current_dir / current.value("histograms", "histograms.hlog"));
  std::vector<std::string> tags;
  for (const std::string& tag : base_log.tags()) {
    if (!tag.ends_with(".uncorrected") && tag != "reception") tags.push_back(tag);
  }
  tags.push_back("reception");
  for (const std::string& tag : tags) {
    const HdrHistogram b = base_log.whole(tag);
    const HdrHistogram n = current_log.whole(tag);
    if (n.total_count() == 0) {
      c.warnings.push_back("'" + tag + "' is in BASE but not in NEW");
      continue;
    }
    MetricComparison m;
    m.metric = tag;
    m.unit = "ms";
    m.base = static_cast<double>(b.value_at_percentile(50.0)) / 1000.0;
    m.current = static_cast<double>(n.value_at_percentile(50.0)) / 1000.0;
    m.base_p99 = static_cast<double>(b.value_at_percentile(99.0)) / 1000.0;
    m.current_p99 = static_cast<double>(n.value_at_percentile(99.0)) / 1000.0;
    m.base_n = b.total_count();
    m.current_n = n.total_count();
    m.tested = m.base_n > 0;
    m.p_receptions = mann_whitney_greater_p(b, n);
    const std::vector<double> base_medians = interval_medians(base_log, tag);
    const std::vector<double> current_medians = interval_medians(current_log, tag);
    m.base_intervals = static_cast<std::int64_t>(base_medians.size());
    m.current_intervals = static_cast<std::int64_t>(current_medians.size());
    // Both tests must find NEW slower: the receptions' (power) and the intervals' (no
    // confidence borrowed from noise the receptions of one run share).
    const bool enough_intervals = base_medians.size() >= kMinIntervals && current_medians.size() >= kMinIntervals;
    m.p_intervals = enough_intervals ? mann_whitney_greater_p(base_medians, current_medians) : 1.0;
    m.p_value = enough_intervals ? std::max(m.p_receptions, m.p_intervals) : m.p_receptions;
    if (m.tested && !enough_intervals && tag == "reception") {
      c.warnings.push_back("BASE and NEW have " + std::to_string(m.base_intervals) + " and " +
                           std::to_string(m.current_intervals) + " intervals with receptions, fewer than " +
                           std::to_string(kMinIntervals) +
                           ": judged over receptions alone, which over-states significance on a busy machine "
                           "(run longer or with a shorter --interval)");
    }
    m.regression = m.tested && m.p_value < options.alpha && m.ratio() > options.max_ratio &&
                   m.current - m.base > options.min_delta_ms;
    c.metrics.push_back(m);
  }
  const auto errors = [](const nlohmann::json& s) { return s.at("receptions").value("errors", std::int64_t{0}); };
  if (errors(current) > errors(base)) {
    c.warnings.push_back("NEW has " + std::to_string(errors(current)) + " failed receptions, BASE " +
                         std::to_string(errors(base)) + " (see errors_by_reason)");
  }
  return c;
}

// Google Benchmark JSON: per benchmark the real time of each repetition in ns.
std::map<std::string, std::vector<double>> benchmark_times(const nlohmann::json& j, const fs::path& file) {
  if (!j.is_object() || !j.contains("benchmarks") || !j.at("benchmarks").is_array()) {
    throw Error(ErrorCode::malformed_input, "not Google Benchmark JSON (no \"benchmarks\" array)", file.string());
  }
  std::map<std::string, std::vector<double>> out;
  for (const nlohmann::json& b : j.at("benchmarks")) {
    if (b.value("run_type", "iteration") != "iteration" || !b.contains("real_time")) continue;
    if (b.contains("error_occurred") && b.at("error_occurred").get<bool>()) continue;
    const std::string unit = b.value("time_unit", "ns");
    const double scale = unit == "s" ? 1e9 : unit == "ms" ? 1e6 : unit == "us" ? 1e3 : 1.0;
    out[b.value("run_name", b.value("name", std::string("?")))].push_back(b.at("real_time").get<double>() * scale);
  }
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
}

Comparison compare_benchmarks(const fs::path& base_path, const fs::path& current_path, const CompareOptions& options) {
  Comparison c;
  c.kind = "google-benchmark";
  c.options = options;
  const nlohmann::json base = read_json(base_path);
  const nlohmann::json current = read_json(current_path);
  const auto base_times = benchmark_times(base, base_path);
  const auto current_times = benchmark_times(current, current_path);
  nlohmann::json base_context = base.value("context", nlohmann::json::object());
  nlohmann::json current_context = current.value("context", nlohmann::json::object());
  nlohmann::json a, b;
  for (const char* key : {"host_name", "num_cpus", "mhz_per_cpu", "library_build_type"}) {
    if (base_context.contains(key)) a[key] = base_context.at(key);
    if (current_context.contains(key)) b[key] = current_context.at(key);
  }
  warn_on_different(a, b, "benchmark contexts", c.warnings);
  for (const auto& [name, times] : base_times) {
    const auto it = current_times.find(name);
    if (it == current_times.end()) {
      c.warnings.push_back("benchmark '" + name + "' is in BASE but not in NEW");
      continue;
    }
    MetricComparison m;
    m.metric = name;
    m.unit = "ns";
    m.base = median(times);
    m.current = median(it->second);
    m.base_n = static_cast<std::int64_t>(times.size());
    m.current_n = static_cast<std::int64_t>(it->second.size());
    m.tested = times.size() >= 3 && it->second.size() >= 3;
    m.p_value = m.tested ? mann_whitney_greater_p(times, it->second) : 1.0;
    m.regression = m.tested && m.p_value < options.alpha && m.ratio() > options.max_ratio;
    c.metrics.push_back(m);
  }
  return c;
}

std::string figure(double v, const char* unit) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f %s", v, unit);
  return text;
}

}  // namespace

double mann_whitney_greater_p(const HdrHistogram& base, const HdrHistogram& current) {
  if (!(base.layout() == current.layout())) {
    throw Error(ErrorCode::invalid_argument, "Mann-Whitney U: the histograms have different ranges or precision");
  }
  RankSums r;
  double base_below = 0.0;
  for (std::size_t i = 0; i < base.counts().size(); ++i) {
    const auto a = static_cast<double>(base.counts()[i]);
    const auto b = static_cast<double>(current.counts()[i]);
    if (a == 0.0 && b == 0.0) continue;
    add_group(r, a, b, base_below);
  }
  return p_greater(r);
}

double mann_whitney_greater_p(const std::vector<double>& base, const std::vector<double>& current) {
  std::vector<std::pair<double, int>> all;  // value, 0 base / 1 current
  for (const double v : base) all.emplace_back(v, 0);
  for (const double v : current) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end());
  RankSums r;
  double base_below = 0.0;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    double a = 0.0, b = 0.0;
    for (; j < all.size() && all[j].first == all[i].first; ++j) (all[j].second == 0 ? a : b) += 1.0;
    add_group(r, a, b, base_below);
    i = j;
  }
  return p_greater(r);
}

bool Comparison::regressed() const {
  return std::any_of(metrics.begin(), metrics.end(), [](const MetricComparison& m) { return m.regression; });
}

Comparison compare_runs(const fs::path& base, const fs::path& current, const CompareOptions& options) {
  if (!(options.max_ratio >= 1.0)) throw Error(ErrorCode::invalid_argument, "report compare: --max-ratio must be >= 1");
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) throw Error(ErrorCode::invalid_argument, "report compare: --alpha must be in (0, 1)");
  for (const fs::path& p : {base, current}) {
    if (!fs::exists(p)) throw Error(ErrorCode::not_found, "no such load run folder or benchmark JSON file", p.string());
  }
  if (is_load_run(base) != is_load_run(current)) {
    throw Error(ErrorCode::invalid_argument, "report compare: BASE and NEW must both be load runs or both Google Benchmark JSON",
                base.string() + " vs " + current.string());
  }
  try {
    return is_load_run(base) ? compare_load(base, current, options) : compare_benchmarks(base, current, options);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::malformed_input, std::string("unexpected JSON: ") + e.what(), base.string() + " / " + current.string());
  }
}

std::string format_comparison(const Comparison& c) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-28s %14s %14s %7s %12s %12s %9s  %s\n", "metric (median)", "base", "new", "ratio",
                "base p99", "new p99", "p", "verdict");
  out << line;
  for (const MetricComparison& m : c.metrics) {
    const char* verdict = m.regression ? "REGRESSION"
                          : !m.tested ? "not tested (fewer than 3 repetitions each)"
                          : m.p_value < c.options.alpha && m.ratio() > 1.0 ? "slower, within the ratio"
                          : m.ratio() < 1.0 && m.p_value > 1.0 - c.options.alpha ? "faster"
                                                                                : "no significant change";
    char p_text[32] = "-";
    if (m.tested) std::snprintf(p_text, sizeof p_text, "%.2g", m.p_value);
    const std::string p99_base = m.unit == "ms" ? figure(m.base_p99, "ms") : "-";
    const std::string p99_new = m.unit == "ms" ? figure(m.current_p99, "ms") : "-";
    std::snprintf(line, sizeof line, "%-28s %14s %14s %6.2fx %12s %12s %9s  %s\n", m.metric.c_str(),
                  figure(m.base, m.unit.c_str()).c_str(), figure(m.current, m.unit.c_str()).c_str(), m.ratio(),
                  p99_base.c_str(), p99_new.c_str(), p_text, verdict);
    out << line;
  }
  for (const std::string& w : c.warnings) out << "warning: " << w << "\n";
  std::snprintf(line, sizeof line,
                "%s: a regression is a median slower by more than %.2fx%s with p < %g (one-sided Mann-Whitney U)\n",
                c.regressed() ? "REGRESSION" : "no regression", c.options.max_ratio,
                c.kind == "load" ? (" and " + figure(c.options.min_delta_ms, "ms")).c_str() : "", c.options.alpha);
  out << line;
  return out.str();
}

}  // namespace onshi::load
