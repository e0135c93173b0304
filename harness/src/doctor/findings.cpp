// Findings: their summary, the text a person reads and the JSON a program reads.
#include <nlohmann/json.hpp>

#include "onshi/doctor/doctor.hpp"
#include "onshi/report/measurement_json.hpp"

namespace onshi::doctor {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

std::string_view to_string(Finding::Severity severity) {
  switch (severity) {
    case Finding::Severity::ok: return "ok";
    case Finding::Severity::warning: return "warning";
    case Finding::Severity::failed: return "failed";
  }
  return "failed";
}

Summary summarize(const std::vector<Finding>& findings) {
  Summary s;
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Finding::Severity::ok: ++s.ok; break;
      case Finding::Severity::warning: ++s.warnings; break;
      case Finding::Severity::failed: ++s.failed; break;
    }
  }
  return s;
}

void print_findings(std::ostream& out, const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    std::string severity(to_string(f.severity));
    severity.resize(8, ' ');
    out << severity << f.check << ": " << f.what << "\n";
    if (!f.fix.empty()) out << "        fix: " << f.fix << "\n";
  }
  const Summary s = summarize(findings);
  out << "doctor: " << s.ok << " ok, " << s.warnings << " warning" << (s.warnings == 1 ? "" : "s") << ", " << s.failed
      << " failed\n";
}

std::string findings_json(const std::vector<Finding>& findings, const std::string& rig_file) {
  const Summary s = summarize(findings);
  Json j;
  j["schema"] = "onshi-hil/doctor/1";
  j["rig"] = rig_file;
  j["summary"] = Json{{"ok", s.ok}, {"warnings", s.warnings}, {"failed", s.failed}, {"healthy", s.healthy()}};
  Json list = Json::array();
  for (const Finding& f : findings) {
    Json m = Json::array();
    for (const auto& measurement : f.measurements) m.push_back(report::measurement_json(measurement));
    list.push_back(Json{{"check", f.check},
                        {"severity", to_string(f.severity)},
                        {"what", f.what},
                        {"fix", f.fix},
                        {"measurements", m}});
  }
  j["findings"] = list;
  return j.dump(2) + "\n";
}

}  // namespace onshi::doctor
