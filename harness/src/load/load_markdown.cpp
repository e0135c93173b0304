// summary.md: the load run as a CI job summary reads it (docs/load.md, "Outputs").
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/load/load_reports.hpp"
#include "onshi/report/text_escape.hpp"
#include "summary_json_access.hpp"

namespace onshi::load {
namespace {

// printf-style figures without a non-literal format: 3 decimals, 2 decimals, or %g / %.6g.
enum class Figure { three, two, shortest, six };
std::string fixed(double v, Figure figure = Figure::three) {
  char text[64];
  switch (figure) {
    case Figure::three: std::snprintf(text, sizeof text, "%.3f", v); break;
    case Figure::two: std::snprintf(text, sizeof text, "%.2f", v); break;
    case Figure::shortest: std::snprintf(text, sizeof text, "%g", v); break;
    case Figure::six: std::snprintf(text, sizeof text, "%.6g", v); break;
  }
  return text;
}

std::string ms(const nlohmann::ordered_json& latency, const char* key) {
  return fixed(static_cast<double>(required(latency, key, "latency_us").get<std::int64_t>()) / 1000.0);
}

std::string cell(const std::string& text) { return report::markdown_cell(text); }

void step_row(std::string& md, const std::string& name, const nlohmann::ordered_json& tally, bool bold) {
  const nlohmann::ordered_json& latency = required(tally, "latency_us", name);
  const std::string label = bold ? "**" + name + "**" : "`" + name + "`";
  md += "| " + label + " | " + std::to_string(required(tally, "count", name).get<std::int64_t>()) + " | " +
        std::to_string(required(tally, "errors", name).get<std::int64_t>()) + " | " + ms(latency, "p50") + " | " +
        ms(latency, "p90") + " | " + ms(latency, "p99") + " | " + ms(latency, "p999") + " | " + ms(latency, "max") +
        " | " + ms(required(tally, "latency_uncorrected_us", name), "p99") + " |\n";
}

}  // namespace

std::string load_summary_markdown(std::string_view summary_json) {
  const nlohmann::ordered_json s = parse_load_summary(summary_json);
  const bool passed = required(s, "verdict", "summary") == "passed";
  const nlohmann::ordered_json& schedule = required(s, "schedule", "summary");
  const nlohmann::ordered_json& generator = required(s, "generator", "summary");
  const nlohmann::ordered_json& receptions = required(s, "receptions", "summary");

  std::string md = std::string("## onshi-hil load: ") + (passed ? "✅ PASSED" : "❌ FAILED") + "\n\n";
  std::string what = "rig `" + cell(required(s, "rig", "summary").value("name", "")) + "`, ";
  if (s.contains("mix") && !s.at("mix").empty()) {
    what += "mix";
    for (const auto& [scenario, count] : s.at("mix").items()) what += " `" + cell(scenario) + "` ×" + std::to_string(count.get<std::int64_t>());
  } else {
    what += "scenario `" + cell(s.value("scenario", "")) + "`";
  }
  what += ", " + cell(required(schedule, "kind", "schedule").get<std::string>()) + " " +
          fixed(required(schedule, "rate_per_s", "schedule").get<double>(), Figure::two) + "/s for " +
          fixed(required(schedule, "duration_s", "schedule").get<double>(), Figure::shortest) + " s, " +
          std::to_string(required(schedule, "readers", "schedule").get<std::int64_t>()) + " reader(s)";
  if (s.contains("shard") && s.at("shard").is_string()) what += ", shard " + s.at("shard").get<std::string>();
  md += what + ".\n\n";
  md += std::to_string(required(s, "arrivals", "summary").value("started", 0)) + " of " +
        std::to_string(required(s, "arrivals", "summary").value("scheduled", 0)) + " arrivals started; achieved " +
        fixed(required(s, "rate_achieved_per_s", "summary").get<double>(), Figure::two) + " receptions/s; " +
        std::to_string(required(receptions, "errors", "receptions").get<std::int64_t>()) + " errors; generator max lag " +
        fixed(static_cast<double>(required(generator, "max_lag_us", "generator").get<std::int64_t>()) / 1000.0) + " ms (" +
        (required(generator, "fell_behind", "generator").get<bool>() ? "**fell behind**" : "on schedule") + ").\n\n";
  for (const auto& reason : required(s, "verdict_reasons", "summary")) md += "- " + cell(reason.get<std::string>()) + "\n";
  if (!s.at("verdict_reasons").empty()) md += "\n";

  md += "| step | count | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | uncorrected p99 ms |\n"
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for (const auto& [name, tally] : required(s, "steps", "summary").items()) step_row(md, name, tally, false);
  step_row(md, "reception", receptions, true);

  const nlohmann::ordered_json& thresholds = required(s, "thresholds", "summary");
  if (!thresholds.empty()) {
    md += "\n| threshold | measured | verdict |\n|---|--:|---|\n";
    for (const nlohmann::ordered_json& t : thresholds) {
      const nlohmann::ordered_json& value = required(t, "value", "threshold");
      std::string measured = "not measured";
      if (value.is_number()) {
        const std::string unit = t.value("unit", "");
        measured = fixed(value.get<double>(), Figure::six) + (unit.empty() || unit == "%" || unit[0] == '/' ? unit : " " + unit);
      }
      md += "| `" + cell(required(t, "expr", "threshold").get<std::string>()) + "` | " + measured + " | " +
            (required(t, "pass", "threshold").get<bool>() ? "✅ pass" : "❌ **FAIL**") + " |\n";
    }
  }
  if (s.contains("sut") && s.at("sut").is_object()) {
    const nlohmann::ordered_json& sut = s.at("sut");
    md += "\nSystem under test: " + cell(sut.value("sut", "")) + ", ready in " + fixed(sut.value("ready_ms", 0.0)) +
          " ms, ended " + cell(sut.value("exit", "")) + "; its requests answered " +
          std::to_string(sut.value("requests_answered", std::int64_t{0})) + ", refused " +
          std::to_string(sut.value("requests_refused", std::int64_t{0})) + "; files it rejected " +
          std::to_string(sut.value("files_rejected", std::int64_t{0})) + ", left lying " +
          std::to_string(sut.value("files_left", std::int64_t{0})) + ".\n";
  }
  const nlohmann::ordered_json& errors = required(s, "errors_by_reason", "summary");
  if (!errors.empty()) {
    md += "\n| error | receptions |\n|---|--:|\n";
    for (const auto& [reason, count] : errors.items()) md += "| " + cell(reason) + " | " + std::to_string(count.get<std::int64_t>()) + " |\n";
  }
  md += "\nLatency is corrected for coordinated omission (from each reception's scheduled start); the histograms are in `" +
        cell(s.value("histograms", "histograms.hlog")) + "` (HdrHistogram interval log).\n";
  return md;
}

}  // namespace onshi::load
