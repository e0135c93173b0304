#include "onshi/report/console_reporter.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include "onshi/core/clock.hpp"

namespace onshi::report {
void ConsoleReporter::run_started(const run::RunStarted& event) {
  // "rig emulated, scenario pin-ok, patient P001, facility 1310000017": the attributes in the
  // plan's order; a run without attributes is named instead.
  if (event.attributes.empty()) {
    out_ << "run " << event.run << "\n";
  } else {
    std::string header;
    for (const auto& [key, value] : event.attributes) header += (header.empty() ? "" : ", ") + key + " " + value;
    out_ << header << "\n";
  }
  // The name column fits the run's longest phase ("connectivity.search_inquiry").
  name_width_ = 22;
  for (const std::string& phase : event.phases) name_width_ = std::max(name_width_, static_cast<int>(phase.size()));
  char line[512];
  std::snprintf(line, sizeof line, "  %-*s %-8s %12s  %s\n", name_width_, "step", "status", "duration ms", "reason");
  out_ << line;
}

void ConsoleReporter::phase_ended(const run::PhaseEnded& event) {
  const run::PhaseResult& p = event.result;
  char line[512];
  std::snprintf(line, sizeof line, "  %-*s %-8s %12.3f  ", name_width_, p.name.c_str(),
                std::string(run::to_string(p.verdict)).c_str(), to_ms(p.duration));
  out_ << line << p.reason << "\n";
}

void ConsoleReporter::run_ended(const run::RunEnded& event) {
  const run::RunResult& r = event.result;
  char line[512];
  // Skipped phases (a check the rig cannot do) do not fail the total; a failure or an error does.
  bool any_failed = false;
  for (const auto& p : r.phases) {
    any_failed = any_failed || p.verdict == run::PhaseVerdict::failed || p.verdict == run::PhaseVerdict::error;
  }
  std::snprintf(line, sizeof line, "  %-*s %-8s %12.3f\n", name_width_, "total", any_failed ? "failed" : "passed",
                to_ms(r.total));
  out_ << line;
  if (!r.expectation.failed_phase.empty()) {
    out_ << "expected: step " << r.expectation.failed_phase << " fails -> "
         << (r.met_expectation() ? "as expected" : "NOT as expected") << "\n";
  }
  if (const std::string file = r.attribute("result_file"); !file.empty()) out_ << "result file: " << file << "\n";
  out_.flush();
}

}  // namespace onshi::report
