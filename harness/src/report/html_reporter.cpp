#include "onshi/report/html_reporter.hpp"

#include <sstream>

#include "onshi/report/text_escape.hpp"
#include "measurement_text.hpp"
#include "onshi/report/html_timeline.hpp"
#include "onshi/core/atomic_file.hpp"
#include "onshi/core/iso8601.hpp"

namespace onshi::report {
namespace {

std::string escape(std::string_view text) { return escape_html(text); }

constexpr const char* kStyle = R"(body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#eee}.passed,.pass{color:#176c2b;font-weight:bold}.failed,.fail,.error{color:#a31515;font-weight:bold}
.skipped,.marginal,.unset{color:#7a5c00}.summary{font-size:1.1em}code{font-size:.9em}
h3{font-size:1.05em;margin-top:1.5em}td.scale{width:30em;padding:.25em 0}.bar{height:.8em;background:#4a7bb7}
tr.lane-card .bar{background:#8a5cb8}tr.lane-reader .bar{background:#c77d1a}tr.lane-ons .bar{background:#2f8f6a})";

void write_html_run(std::ostringstream& out, const run::RunResult& run) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& phase : run.phases) ++counts[static_cast<int>(phase.verdict)];
  out << "<section class=\"run\">\n<h2>" << escape(run.name) << "</h2>\n";
  out << "<p class=\"summary\">" << run.phases.size() << " checks: " << counts[0] << " passed, " << counts[1]
      << " failed, " << counts[3] << " error, " << counts[2] << " skipped; started " << format_iso8601_utc(run.started)
      << ", " << detail::milliseconds_text(run.total) << " ms</p>\n";
  out << "<table class=\"attributes\">\n";
  for (const auto& [name, value] : run.attributes) {
    out << "<tr><th>" << escape(name) << "</th><td><code>" << escape(value) << "</code></td></tr>\n";
  }
  out << "</table>\n<table class=\"checks\">\n<tr><th>check</th><th>verdict</th><th>duration ms</th><th>reason</th>"
         "<th>measurements</th><th>details</th></tr>\n";
  for (const auto& phase : run.phases) {
    const std::string verdict(run::to_string(phase.verdict));
    out << "<tr id=\"check-" << escape(phase.name) << "\"><td>" << escape(phase.name) << "</td><td class=\"" << verdict
        << "\">" << verdict << "</td><td>" << detail::milliseconds_text(phase.duration) << "</td><td>"
        << escape(phase.reason) << "</td><td>";
    if (!phase.measurements.empty()) {
      out << "<table><tr><th>name</th><th>value</th><th>unit</th><th>limits</th><th>verdict</th></tr>";
      for (const auto& m : phase.measurements) {
        const std::string mv(run::to_string(m.verdict));
        out << "<tr><td>" << escape(m.name) << "</td><td>" << escape(run::format_value(m.value)) << "</td><td>"
            << escape(m.unit) << "</td><td>" << escape(detail::limits_text(m)) << "</td><td class=\"" << mv << "\">"
            << mv << "</td></tr>";
      }
      out << "</table>";
    }
    out << "</td><td>";
    for (const auto& [key, value] : phase.details) out << escape(key) << ": <code>" << escape(value) << "</code><br>";
    out << "</td></tr>\n";
  }
  out << "</table>\n</section>\n";
}

}  // namespace

std::string to_html(const std::vector<run::RunResult>& runs, const std::string& title) {
  return to_html(runs, title, {});
}

std::string to_html(const std::vector<run::RunResult>& runs, const std::string& title,
                    const std::vector<flow::RunRecord>& receptions) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << escape(title)
      << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>" << escape(title) << "</h1>\n";
  for (const auto& run : runs) write_html_run(out, run);
  if (!receptions.empty()) {
    out << "<section class=\"timelines\">\n<h2>Receptions: card, reader, flow and ONS journal</h2>\n";
    for (const auto& record : receptions) out << timeline_html(record);
    out << "</section>\n";
  }
  out << "</body>\n</html>\n";
  return out.str();
}

void HtmlReporter::finish() { write_file_atomically(file_, to_html(runs_, title_, receptions_)); }

}  // namespace onshi::report
