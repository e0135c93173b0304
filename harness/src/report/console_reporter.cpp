#include "onshi/report/console_reporter.hpp"

#include <cstdio>
#include <string>

namespace onshi::report {
namespace {

double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

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
  char line[512];
  std::snprintf(line, sizeof line, "  %-22s %-8s %12s  %s\n", "step", "status", "duration ms", "reason");
  out_ << line;
}

void ConsoleReporter::phase_ended(const run::PhaseEnded& event) {
  const run::PhaseResult& p = event.result;
  char line[512];
  std::snprintf(line, sizeof line, "  %-22s %-8s %12.3f  ", p.name.c_str(), std::string(run::to_string(p.verdict)).c_str(),
                to_ms(p.duration));
  out_ << line << p.reason << "\n";
}

void ConsoleReporter::run_ended(const run::RunEnded& event) {
  const run::RunResult& r = event.result;
  char line[512];
  std::snprintf(line, sizeof line, "  %-22s %-8s %12.3f\n", "total", r.all_phases_passed() ? "passed" : "failed",
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
