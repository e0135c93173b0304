#pragma once
// The human-facing reports of a load run (docs/load.md, "Outputs"), both made from the text of
// summary.json alone, so `report merge` writes them for merged runs exactly as `load` does:
//
//   summary.md   a Markdown verdict line, the step table and the thresholds, fit for a CI job
//                summary ($GITHUB_STEP_SUMMARY, a GitLab MR note)
//   report.html  one offline page: the latency percentile distribution per step, latency,
//                throughput and errors over time, the thresholds, the rig; the charts are drawn
//                by Chart.js (Debian libjs-chart.js) inlined into the page at build time
#include <string>
#include <string_view>

namespace onshi::load {

// Throw Error(malformed_input) naming the key when the summary lacks what the report shows.
std::string load_summary_markdown(std::string_view summary_json);
std::string load_report_html(std::string_view summary_json);

// The Chart.js build inlined into report.html ("" when the build found no libjs-chart.js: the
// page then says the charts are missing instead of drawing them).
std::string_view chart_js_source();
std::string_view chart_js_version();

}  // namespace onshi::load
