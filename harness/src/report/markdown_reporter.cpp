#include "onshi/report/markdown_reporter.hpp"

#include <sstream>

#include "measurement_text.hpp"
#include "onshi/core/atomic_file.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/report/text_escape.hpp"

namespace onshi::report {
namespace {

std::string cell(std::string_view text) { return markdown_cell(text); }

void write_markdown_run(std::ostringstream& out, const run::RunResult& run) {
  out << "## " << cell(run.name) << "\n\n";
  out << "Started " << format_iso8601_utc(run.started) << ", " << detail::milliseconds_text(run.total) << " ms.\n\n";
  out << "| attribute | value |\n|---|---|\n";
  for (const auto& [name, value] : run.attributes) out << "| " << cell(name) << " | `" << cell(value) << "` |\n";
  out << "\n| check | verdict | duration ms | reason |\n|---|---|---:|---|\n";
  for (const auto& phase : run.phases) {
    out << "| " << cell(phase.name) << " | " << run::to_string(phase.verdict) << " | "
        << detail::milliseconds_text(phase.duration) << " | " << cell(phase.reason) << " |\n";
  }
  for (const auto& phase : run.phases) {
    if (phase.measurements.empty()) continue;
    out << "\n### " << cell(phase.name) << "\n\n| measurement | value | unit | limits | verdict |\n|---|---:|---|---|---|\n";
    for (const auto& m : phase.measurements) {
      out << "| " << cell(m.name) << " | " << cell(run::format_value(m.value)) << " | " << cell(m.unit) << " | "
          << cell(detail::limits_text(m)) << " | " << run::to_string(m.verdict) << " |\n";
    }
  }
  out << "\n";
}

}  // namespace

std::string to_markdown(const std::vector<run::RunResult>& runs, const std::string& title) {
  std::ostringstream out;
  out << "# " << cell(title) << "\n\n";
  for (const auto& run : runs) write_markdown_run(out, run);
  return out.str();
}

void MarkdownReporter::finish() { write_file_atomically(file_, to_markdown(runs_, title_)); }

}  // namespace onshi::report
