// report.html: one offline page per load run (docs/load.md, "Outputs"). The summary is embedded
// as JSON and Chart.js (inlined, see chart_js_source()) draws four charts from it. After
// drawing, the page's script counts the painted pixels of each canvas into data-painted and
// the charts drawn into <body data-charts-rendered>, so a headless browser can check that the
// charts really rendered (tests/e2e/load).
#include <string>

#include <nlohmann/json.hpp>

#include "onshi/load/load_reports.hpp"
#include "onshi/report/text_escape.hpp"
#include "summary_json_access.hpp"

namespace onshi::load {
namespace {

using report::escape_html;

// JSON inside <script type="application/json">: "</" would end the element early.
std::string script_safe_json(const nlohmann::ordered_json& j) {
  const std::string text = j.dump();
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') {
      out += "\\u003c";
    } else {
      out += text[i];
    }
  }
  return out;
}

constexpr const char* page_style = R"css(
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1100px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.verdict { display: inline-block; padding: 0.2em 0.7em; border-radius: 4px; color: #fff; font-weight: bold; }
.passed { background: #2a7d2a; } .failed { background: #b02a2a; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; }
.chart { position: relative; height: 300px; }
.missing { color: #b02a2a; font-weight: bold; }
)css";

// Builds the tables from the embedded summary and draws the charts. Plain ES2017, no modules.
constexpr const char* page_script = R"js(
(function () {
  const s = JSON.parse(document.getElementById('load-summary').textContent);
  const ms = (us) => us / 1000;
  const fmt = (v) => (Math.round(v * 1000) / 1000).toFixed(3);
  const cell = (row, text, header) => { const c = document.createElement(header ? 'th' : 'td'); c.textContent = text; row.appendChild(c); };
  const table = (id, header, rows) => {
    const t = document.getElementById(id);
    const h = t.insertRow(); header.forEach((x) => cell(h, x, true));
    rows.forEach((r) => { const row = t.insertRow(); r.forEach((x) => cell(row, x, false)); });
  };
  const tallies = Object.entries(s.steps).concat([['reception', s.receptions]]);
  table('steps', ['step', 'count', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'uncorrected p99 ms'],
        tallies.map(([name, t]) => [name, t.count, t.errors, fmt(ms(t.latency_us.p50)), fmt(ms(t.latency_us.p90)),
                                    fmt(ms(t.latency_us.p99)), fmt(ms(t.latency_us.p999)), fmt(ms(t.latency_us.max)),
                                    fmt(ms(t.latency_uncorrected_us.p99))]));
  table('thresholds', ['threshold', 'measured', 'verdict'],
        s.thresholds.map((t) => [t.expr, t.value === null ? 'not measured' : t.value.toPrecision(6) + ' ' + t.unit,
                                 t.pass ? 'pass' : 'FAIL']));
  const fp = Object.assign({ name: s.rig.name, file: s.rig.file }, s.rig.fingerprint || {});
  table('rig', ['key', 'value'], Object.entries(fp).map(([k, v]) => [k, String(v)]));
  table('generator', ['key', 'value'], Object.entries(s.generator).map(([k, v]) => [k, String(v)]));

  if (typeof Chart === 'undefined') { document.body.dataset.chartError = 'Chart.js is not in this page'; return; }
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  const seconds = s.throughput_per_s.map((_, i) => (i * s.interval_s).toFixed(1));
  const common = { animation: false, responsive: true, maintainAspectRatio: false };
  const charts = [
    ['chart-distribution', {
      type: 'line',
      data: { labels: s.receptions.latency_distribution_us.map((p) => String(p[0])),
              datasets: tallies.map(([name, t], i) => ({ label: name, data: t.latency_distribution_us.map((p) => ms(p[1])),
                                                          borderColor: palette[i % palette.length], borderWidth: name === 'reception' ? 3 : 1.5,
                                                          pointRadius: 2, fill: false })) },
      options: Object.assign({}, common, { scales: { x: { title: { display: true, text: 'percentile' } },
                                                     y: { type: 'logarithmic', title: { display: true, text: 'latency ms (corrected)' } } } }) }],
    ['chart-latency', {
      type: 'line',
      data: { labels: seconds, datasets: ['p50', 'p99', 'max'].map((k, i) => ({ label: 'reception ' + k,
              data: s.latency_per_interval_us[k].map(ms), borderColor: palette[i], pointRadius: 1.5, fill: false })) },
      options: Object.assign({}, common, { scales: { x: { title: { display: true, text: 's since start' } },
                                                     y: { beginAtZero: true, title: { display: true, text: 'latency ms' } } } }) }],
    ['chart-throughput', {
      type: 'bar',
      data: { labels: seconds, datasets: [{ label: 'receptions/s', data: s.throughput_per_s, backgroundColor: palette[2] }] },
      options: Object.assign({}, common, { scales: { x: { title: { display: true, text: 's since start' } },
                                                     y: { beginAtZero: true, title: { display: true, text: 'receptions/s' } } } }) }],
    ['chart-errors', {
      type: 'bar',
      data: { labels: seconds, datasets: [{ label: 'errors', data: s.errors_per_interval, backgroundColor: palette[3] }] },
      options: Object.assign({}, common, { scales: { x: { title: { display: true, text: 's since start' } },
                                                     y: { beginAtZero: true, suggestedMax: 1, ticks: { precision: 0 },
                                                          title: { display: true, text: 'failed receptions' } } } }) }],
  ];
  let rendered = 0;
  for (const [id, config] of charts) {
    const canvas = document.getElementById(id);
    try {
      new Chart(canvas, config);
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      canvas.dataset.painted = String(painted);
      if (painted > 0) rendered++;
    } catch (e) {
      canvas.dataset.error = String(e);
      document.body.dataset.chartError = id + ': ' + e;
    }
  }
  document.body.dataset.chartsRendered = String(rendered);
})();
)js";

}  // namespace

std::string load_report_html(std::string_view summary_json) {
  const nlohmann::ordered_json s = parse_load_summary(summary_json);
  const bool passed = required(s, "verdict", "summary") == "passed";
  // The keys the script reads, checked here so a bad summary is an error, not a blank page.
  for (const char* key : {"steps", "receptions", "thresholds", "generator", "throughput_per_s", "errors_per_interval",
                          "latency_per_interval_us", "interval_s", "rig"}) {
    required(s, key, "summary");
  }
  required(required(s, "receptions", "summary"), "latency_distribution_us", "receptions");
  const std::string title = "onshi-hil load: " + s.at("rig").value("name", std::string()) + ", " +
                            s.at("schedule").value("kind", std::string());
  std::string html;
  html.reserve(chart_js_source().size() + 32768);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape_html(title) +
          "</title>\n<style>" + page_style + "</style>\n</head>\n<body>\n";
  html += "<h1>" + escape_html(title) + " <span class=\"verdict " + (passed ? "passed\">PASSED" : "failed\">FAILED") +
          "</span></h1>\n";
  html += "<p>" + std::to_string(s.at("arrivals").value("started", 0)) + " of " +
          std::to_string(s.at("arrivals").value("scheduled", 0)) + " arrivals started, " +
          std::to_string(s.at("receptions").value("count", 0)) + " receptions, " +
          std::to_string(s.at("receptions").value("errors", 0)) + " errors. Latency is measured from each reception's " +
          "scheduled start (coordinated omission corrected).</p>\n<ul>\n";
  for (const auto& reason : required(s, "verdict_reasons", "summary")) {
    html += "<li>" + escape_html(reason.get<std::string>()) + "</li>\n";
  }
  html += "</ul>\n";
  if (chart_js_source().empty()) {
    html += "<p class=\"missing\">The charts are missing: this onshi-hil was built without Chart.js "
            "(Debian libjs-chart.js).</p>\n";
  }
  html += "<h2>Thresholds</h2>\n<table id=\"thresholds\"></table>\n"
          "<h2>Latency per step</h2>\n<table id=\"steps\"></table>\n"
          "<div class=\"charts\">\n"
          "<div><h2>Latency percentile distribution</h2><div class=\"chart\"><canvas id=\"chart-distribution\"></canvas></div></div>\n"
          "<div><h2>Latency over time</h2><div class=\"chart\"><canvas id=\"chart-latency\"></canvas></div></div>\n"
          "<div><h2>Throughput over time</h2><div class=\"chart\"><canvas id=\"chart-throughput\"></canvas></div></div>\n"
          "<div><h2>Errors over time</h2><div class=\"chart\"><canvas id=\"chart-errors\"></canvas></div></div>\n"
          "</div>\n<h2>Rig</h2>\n<table id=\"rig\"></table>\n<h2>Generator</h2>\n<table id=\"generator\"></table>\n";
  html += "<p>Charts: Chart.js " + escape_html(std::string(chart_js_version())) +
          " (MIT licence), inlined so the page works offline.</p>\n";
  html += "<script type=\"application/json\" id=\"load-summary\">" + script_safe_json(s) + "</script>\n";
  html += "<script>\n";
  html += chart_js_source();
  html += "\n</script>\n<script>";
  html += page_script;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace onshi::load
