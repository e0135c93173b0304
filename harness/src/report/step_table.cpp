#include "onshi/report/step_table.hpp"

#include <cstdio>
#include <string>

namespace onshi::report {

void print_step_table(std::ostream& out, const flow::RunRecord& record) {
  char line[512];
  out << "rig " << record.rig << ", scenario " << record.scenario << ", patient " << record.patient
      << ", facility " << record.facility << "\n";
  std::snprintf(line, sizeof line, "  %-22s %-8s %12s  %s\n", "step", "status", "duration ms", "reason");
  out << line;
  for (const auto& s : record.steps) {
    const double ms = std::chrono::duration<double, std::milli>(s.duration).count();
    std::snprintf(line, sizeof line, "  %-22s %-8s %12.3f  ", s.name.c_str(), std::string(flow::to_string(s.status)).c_str(),
                  ms);
    out << line << s.reason << "\n";
  }
  const double total = std::chrono::duration<double, std::milli>(record.total).count();
  std::snprintf(line, sizeof line, "  %-22s %-8s %12.3f\n", "total",
                record.all_steps_passed() ? "passed" : "failed", total);
  out << line;
  if (!record.expected_failed_step.empty()) {
    out << "expected: step " << record.expected_failed_step << " fails -> "
        << (record.met_expectation() ? "as expected" : "NOT as expected") << "\n";
  }
  if (!record.result_file.empty()) out << "result file: " << record.result_file << "\n";
}

}  // namespace onshi::report
